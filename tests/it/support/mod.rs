//! Shared helpers of the integration tests: an isolated environment to run
//! the binary in ([`TestEnv`]), the fake Atlassian server ([`fake`]), the
//! command runner ([`command`]) and pseudo-terminal sessions ([`pty`]), and
//! the secret-hygiene assertion every test applies to its output.

#![allow(dead_code)]

pub(crate) mod command;
pub(crate) mod connect;
pub(crate) mod fake;
pub(crate) mod fleet;
pub(crate) mod golden;
pub(crate) mod peers;
pub(crate) mod pty;
pub(crate) mod readme;
pub(crate) mod screen;
pub(crate) mod serve;
pub(crate) mod servicenow_fake;
pub(crate) mod servicenow_oauth;

use std::path::PathBuf;

// The verify bench includes this module too, and names no grant.
pub(crate) use command::Cmd;
#[allow(unused_imports)]
pub(crate) use connect::Grant;
pub(crate) use fake::FakeAtlassian;
pub(crate) use servicenow_fake::FakeServiceNow;

/// A private HOME and config directory for one test.
pub(crate) struct TestEnv {
    dir: tempfile::TempDir,
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

impl TestEnv {
    /// A fresh, empty environment.
    pub(crate) fn new() -> TestEnv {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        // Private whatever the umask: jira-spoke refuses a config directory
        // its group can write, and tests that write a config first create it.
        let mut config_dir = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut config_dir, 0o700);
        config_dir.create(dir.path().join("config")).unwrap();
        TestEnv { dir }
    }

    /// Where the config (and the `file` store) lives.
    pub(crate) fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// The temp directory itself, for scripts and logs.
    pub(crate) fn root(&self) -> PathBuf {
        self.dir.path().to_owned()
    }

    /// `config.toml`, or "" when there is none.
    pub(crate) fn config_text(&self) -> String {
        std::fs::read_to_string(self.config_dir().join("config.toml")).unwrap_or_default()
    }

    /// The binary with an isolated environment: no inherited `JIRA_SPOKE_*`,
    /// no colour, a private HOME and config dir, and the plaintext `file`
    /// store (keyring tests opt in with `JIRA_SPOKE_STORE=keyring`).
    pub(crate) fn cmd(&self) -> Cmd {
        Cmd::from_std(self.std_cmd())
    }

    /// [`TestEnv::cmd_with_fake`] as a plain `std::process::Command`, for
    /// spawning several at once. A TLS fake's CA is trusted.
    pub(crate) fn std_cmd_with_fake(&self, fake: &FakeAtlassian) -> std::process::Command {
        let mut cmd = self.std_cmd();
        cmd.env("JIRA_SPOKE_AUTH_URL", fake.url())
            .env("JIRA_SPOKE_API_URL", fake.url());
        if let Some(ca_file) = fake.ca_file() {
            cmd.env("JIRA_SPOKE_CA_FILE", ca_file);
        }
        cmd
    }

    /// The environment [`TestEnv::std_cmd_with_fake`] sets, set (and
    /// removed) on `cmd`: for a wrapper (`sh -c ulimit …`, a measuring
    /// helper) that runs the binary in turn.
    pub(crate) fn env_of_fake(&self, fake: &FakeAtlassian, cmd: &mut std::process::Command) {
        for (key, value) in self.std_cmd_with_fake(fake).get_envs() {
            match value {
                Some(value) => cmd.env(key, value),
                None => cmd.env_remove(key),
            };
        }
    }

    pub(crate) fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(command::bin_path());
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy().into_owned();
            if key.starts_with("JIRA_SPOKE_") && key != "JIRA_SPOKE_TEST_SECRET_SERVICE" {
                cmd.env_remove(&key);
            }
        }
        for key in [
            "NO_COLOR",
            "FORCE_COLOR",
            "BROWSER",
            "RUST_LOG",
            "HTTPS_PROXY",
            "HTTP_PROXY",
            "https_proxy",
            "http_proxy",
            "ALL_PROXY",
        ] {
            cmd.env_remove(key);
        }
        let home = self.dir.path().join("home");
        cmd.env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("JIRA_SPOKE_CONFIG_DIR", self.config_dir())
            .env("JIRA_SPOKE_STORE", "file")
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "0");
        cmd
    }

    /// [`TestEnv::cmd`] with every Atlassian endpoint on `fake`.
    pub(crate) fn cmd_with_fake(&self, fake: &FakeAtlassian) -> Cmd {
        Cmd::from_std(self.std_cmd_with_fake(fake))
    }
}

impl TestEnv {
    /// An executable `$BROWSER` that follows the authorize URL with curl, as
    /// a browser would after instant consent, ending on the loopback callback.
    pub(crate) fn curl_browser(&self) -> PathBuf {
        let path = self.root().join("curl-browser.sh");
        std::fs::write(&path, "#!/bin/sh\ncurl -sfL \"$1\" > /dev/null\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        path
    }

    /// Marks every stored access token as long expired (the next use renews it).
    pub(crate) fn expire_tokens(&self) {
        for path in self.token_state_files() {
            let mut state: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            state["expires_at"] = 1.into();
            std::fs::write(&path, state.to_string()).unwrap();
        }
        // A config of an earlier version keeps the expiry in config.toml.
        let config = self.config_text();
        if config.contains("\nexpires_at = ") {
            let lines: Vec<&str> = config
                .lines()
                .map(|l| {
                    if l.starts_with("expires_at = ") {
                        "expires_at = 1"
                    } else {
                        l
                    }
                })
                .collect();
            std::fs::write(self.config_dir().join("config.toml"), lines.join("\n")).unwrap();
        }
    }

    /// Every entry of the file store: `secrets.json` and the connections'
    /// own files of tokens (`connections/<name>/secrets.json`), as one
    /// `{"secrets": …}`.
    pub(crate) fn file_secrets(&self) -> serde_json::Value {
        let mut files = vec![self.config_dir().join("secrets.json")];
        files.extend(self.connection_files("secrets.json"));
        let mut all = serde_json::Map::new();
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let contents: serde_json::Value = serde_json::from_str(&text).unwrap();
            if let Some(entries) = contents["secrets"].as_object() {
                all.extend(entries.clone());
            }
        }
        serde_json::json!({ "secrets": all })
    }

    /// The token state files (`connections/<name>/token.json`), by name.
    pub(crate) fn token_state_files(&self) -> Vec<std::path::PathBuf> {
        self.connection_files("token.json")
    }

    /// The files called `file` of every connection's own directory, by name.
    fn connection_files(&self, file: &str) -> Vec<std::path::PathBuf> {
        let Ok(dir) = std::fs::read_dir(self.config_dir().join("connections")) else {
            return Vec::new();
        };
        let mut files: Vec<_> = dir
            .flatten()
            .map(|e| e.path().join(file))
            .filter(|p| p.exists())
            .collect();
        files.sort();
        files
    }

    /// [`TestEnv::expire_tokens`], and `fake`'s clock moved past the tokens'
    /// lifetime: both jira-spoke and the server see them expired, as after
    /// waiting that long (see [`FakeAtlassian::advance`]).
    pub(crate) fn expire_tokens_with(&self, fake: &FakeAtlassian) {
        self.expire_tokens();
        fake.advance(fake.token_lifetime() + std::time::Duration::from_secs(1));
    }
}

impl TestEnv {
    /// [`TestEnv::cmd`] signed in to the fake ServiceNow instance as its admin
    /// (instance, user and password in the environment).
    pub(crate) fn cmd_servicenow(&self, sn: &FakeServiceNow) -> Cmd {
        let mut cmd = self.cmd();
        cmd.env("JIRA_SPOKE_SERVICENOW_INSTANCE", sn.url())
            .env("JIRA_SPOKE_SERVICENOW_USER", servicenow_fake::SN_USER)
            .env(
                "JIRA_SPOKE_SERVICENOW_PASSWORD",
                servicenow_fake::SN_PASSWORD,
            );
        cmd
    }
}

/// A loopback port for jira-spoke to listen on, free when handed out.
///
/// Only for a port the program under test must be *given*: jira-spoke's own
/// `--redirect-uri` callback port, which it binds itself. Servers a test
/// starts (the fake, oidc-provider, Prism, openssl) bind port 0 and report
/// the port they got.
///
/// NOTE: the ports come from below every platform's ephemeral range
/// (Linux's starts at 32768, macOS' and Windows' at 49152), where no
/// `bind(…:0)` can be given one: a port taken from that range and let go
/// went to the next fake another test started, which then held it when
/// jira-spoke came to listen. Each is handed out once per test process, from
/// an offset of the process ID, so two test runs at once rarely meet.
pub(crate) fn free_port() -> u16 {
    const FIRST: u32 = 20_000;
    const COUNT: u32 = 12_000;
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let offset = std::process::id().wrapping_mul(97);
    for _ in 0..COUNT {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let port = (FIRST + offset.wrapping_add(n) % COUNT) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free loopback port in {FIRST}..{}", FIRST + COUNT);
}

impl Drop for TestEnv {
    /// Every test's config is checked: no secret value may ever be written to it.
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let config = self.config_text();
        for marker in [
            "fake-at-",
            "fake-rt-",
            "fake-code-",
            "spoke-client-secret",
            "api-token-SECRET",
            "3lo-secret",
            "svc-secret",
            "sn-admin-PW",
            "sn-client-SECRET",
            "sn-at-",
            "sn-rt-",
            "sn-code-",
        ] {
            assert!(
                !config.contains(marker),
                "a secret ({marker}…) was written to config.toml"
            );
        }
    }
}

/// Every secret value the tests use, and the prefixes of the fake's refresh
/// tokens and codes: none may ever appear in any output.
const TEST_SECRETS: &[&str] = &[
    "spoke-client-secret-XYZ123",
    "api-token-SECRET-456",
    "3lo-secret-ABC123xyz",
    "svc-secret-DEF456xyz",
    "wrong-secret",
    "not-the-secret",
    "not-the-token",
    "rotated-by-the-admin",
    "fake-rt-",
    "fake-code-",
    "sn-admin-PW-789",
    // ServiceNow's own OAuth: an inbound client's secret, and the prefixes
    // of the tokens and codes its fake OAuth server issues.
    "sn-client-SECRET-321",
    "sn-at-",
    "sn-rt-",
    "sn-code-",
];

/// Runs a command and checks its stdout and stderr for every test secret
/// (access tokens, `fake-at-…`, may appear on stdout only: printing one is
/// `token`'s job). Every binary test goes through this.
pub(crate) trait CheckedOutput {
    /// `output()`, then the secret check.
    fn checked_output(&mut self) -> std::process::Output;
}

impl CheckedOutput for Cmd {
    fn checked_output(&mut self) -> std::process::Output {
        check_secrets(self.output().expect("the command runs"))
    }
}

impl CheckedOutput for std::process::Command {
    fn checked_output(&mut self) -> std::process::Output {
        check_secrets(self.output().expect("the command runs"))
    }
}

/// Checks a finished command's output for test secrets, and returns it.
pub(crate) fn check_secrets(out: std::process::Output) -> std::process::Output {
    let (stdout, stderr) = output_text(&out);
    assert_no_secrets(&[("stdout", &stdout), ("stderr", &stderr)], TEST_SECRETS);
    assert!(
        !stderr.contains("fake-at-"),
        "an access token leaked into stderr"
    );
    out
}

/// Panics if any secret (or its base64 form) appears in any text; names the
/// text and the secret's first four characters only.
pub(crate) fn assert_no_secrets(texts: &[(&str, &str)], secrets: &[&str]) {
    use base64::Engine;
    for secret in secrets.iter().filter(|s| s.len() >= 6) {
        let encoded = base64::engine::general_purpose::STANDARD.encode(secret);
        for (label, text) in texts {
            assert!(
                !text.contains(secret) && !text.contains(&encoded),
                "a secret starting {:?} leaked into {label}",
                &secret[..4]
            );
        }
    }
}

/// stdout and stderr as text.
pub(crate) fn output_text(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
