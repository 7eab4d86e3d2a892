//! Hostile conditions: races between parallel commands, commands killed at
//! random points, and a TLS endpoint nobody should trust. Each has a fixed
//! bound and asserts what is left behind.

use crate::support::CheckedOutput;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::{FakeAtlassian, TestEnv, output_text};

const ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";

fn spawn(mut cmd: Command) -> Child {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn refreshes(fake: &FakeAtlassian) -> usize {
    fake.requests()
        .iter()
        .filter(|r| {
            r.path == "/oauth/token" && r.param("grant_type").as_deref() == Some("refresh_token")
        })
        .count()
}

#[test]
fn twenty_parallel_token_calls_on_an_expired_token_refresh_once() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| s.refresh_leeway = Duration::ZERO);
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");
    env.expire_tokens();
    let children: Vec<Child> = (0..20)
        .map(|_| {
            let mut cmd = env.std_cmd_with_fake(&fake);
            cmd.arg("token");
            spawn(cmd)
        })
        .collect();
    let tokens: Vec<String> = children
        .into_iter()
        .map(|c| {
            let out = c
                .wait_with_output()
                .map(crate::support::check_secrets)
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
            output_text(&out).0.trim().to_owned()
        })
        .collect();
    assert_eq!(refreshes(&fake), 1, "one refresh for twenty callers");
    assert_eq!(fake.refresh_reuse_count(), 0);
    assert!(
        tokens.windows(2).all(|w| w[0] == w[1]),
        "all got the refreshed token"
    );
}

#[test]
fn five_parallel_connects_to_different_names_all_land() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let children: Vec<Child> = (1..=5)
        .map(|i| {
            spawn(
                env.connect(&fake)
                    .name(&format!("p{i}"))
                    .cloud_id(ID)
                    .command(),
            )
        })
        .collect();
    for child in children {
        let out = child
            .wait_with_output()
            .map(crate::support::check_secrets)
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    }
    let config = env.config_text();
    for i in 1..=5 {
        assert!(
            config.contains(&format!("[connections.p{i}]")),
            "p{i} lost:\n{config}"
        );
    }
    let secrets = env.file_secrets();
    assert_eq!(
        secrets["secrets"].as_object().unwrap().len(),
        10,
        "two secrets each, none lost"
    );
}

#[test]
fn a_connect_killed_at_any_point_leaves_a_working_connection() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let out = env.connect(&fake).name("prod").cloud_id(ID).run();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    // Slow every answer so the kills land in all phases: lookup, exchange,
    // the Jira check, and the store/config writes after them.
    fake.configure(|s| s.latency = Duration::from_millis(20));
    for delay_ms in [0, 5, 10, 15, 25, 35, 45, 55, 65, 80, 100, 130] {
        let mut child = spawn(env.connect(&fake).name("prod").cloud_id(ID).command());
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no chance to clean up
        let _ = child.wait();
        let list = env
            .cmd_with_fake(&fake)
            .args(["--json", "list"])
            .checked_output();
        assert_eq!(
            list.status.code(),
            Some(0),
            "after a kill at {delay_ms} ms: {}",
            output_text(&list).1
        );
        let verify = env
            .cmd_with_fake(&fake)
            .args(["-c", "prod", "verify"])
            .checked_output();
        assert_eq!(
            verify.status.code(),
            Some(0),
            "after a kill at {delay_ms} ms the connection must still work:\n{}",
            output_text(&verify).0
        );
    }
}

/// A TLS server with a self-signed certificate (openssl s_server).
struct SelfSigned {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl SelfSigned {
    fn start() -> SelfSigned {
        let dir = tempfile::tempdir().unwrap();
        let (key, cert) = (dir.path().join("key.pem"), dir.path().join("cert.pem"));
        let made = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
            ])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stderr(Stdio::null())
            .status()
            .expect("openssl is installed by .ci/run");
        assert!(made.success());
        // Port 0: the system picks; s_server prints `ACCEPT 127.0.0.1:PORT`
        // once it listens.
        let mut child = Command::new("openssl")
            .args(["s_server", "-www", "-accept", "127.0.0.1:0"])
            .arg("-key")
            .arg(&key)
            .arg("-cert")
            .arg(&cert)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let port = loop {
            line.clear();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "openssl s_server exited before listening"
            );
            if let Some(addr) = line.trim().strip_prefix("ACCEPT ") {
                break addr.rsplit(':').next().unwrap().parse::<u16>().unwrap();
            }
        };
        // It logs each connection; keep the pipe drained.
        std::thread::spawn(move || for _ in stdout.lines() {});
        SelfSigned {
            child,
            port,
            _dir: dir,
        }
    }
}

impl Drop for SelfSigned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_self_signed_certificate_is_refused_with_a_tls_error() {
    let server = SelfSigned::start();
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["cloud-id", &format!("https://127.0.0.1:{}", server.port)])
        .timeout(Duration::from_secs(30))
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("TLS handshake with https://127.0.0.1"),
        "{stderr}"
    );
    assert!(stderr.contains("hint:"), "{stderr}");
}

/// A crash leaves no core file holding the secrets the process had read,
/// and another process of the same user cannot read them from its memory or
/// environment: checked on a command waiting for a password on stdin. As
/// root (who may read any process), both run as `nobody` through `setpriv`.
#[cfg(target_os = "linux")]
#[test]
fn a_running_command_dumps_no_core_and_its_memory_is_closed_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let home = env.root().join("nobody");
    std::fs::create_dir(&home).unwrap();
    std::fs::set_permissions(env.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // SAFETY: geteuid cannot fail and touches no memory.
    let as_root = unsafe { libc::geteuid() } == 0;
    let same_user = |program: &str| {
        let mut cmd = if as_root {
            std::os::unix::fs::chown(&home, Some(65534), Some(65534)).unwrap();
            let mut cmd = Command::new("setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
            cmd.arg(program);
            cmd
        } else {
            Command::new(program)
        };
        cmd.env("HOME", &home);
        cmd
    };
    let mut cmd = same_user(crate::support::command::bin_path().to_str().unwrap());
    cmd.env("JIRA_SPOKE_CONFIG_DIR", home.join("config"))
        .env(
            "JIRA_SPOKE_SERVICENOW_CLIENT_SECRET",
            "sn-client-SECRET-321",
        )
        .args([
            "servicenow",
            "login",
            "--instance",
            "https://example.service-now.com",
            "--servicenow-user",
            "admin",
            "--servicenow-password-stdin",
            "--store",
            "file",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // NOTE: started with a core limit above 0 (the test's own is often 0),
    // so a limit of 0 shows jira-spoke has set it.
    // SAFETY: setrlimit is async-signal-safe and touches no memory of ours.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
            let limit = libc::rlimit {
                rlim_cur: 1 << 20,
                rlim_max: libc::RLIM_INFINITY,
            };
            if libc::setrlimit(libc::RLIMIT_CORE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    // setpriv execs the binary in place: the pid is jira-spoke's.
    let proc_dir = format!("/proc/{}", child.id());
    let core_limit = || {
        std::fs::read_to_string(format!("{proc_dir}/limits"))
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .map(|l| l.split_whitespace().nth(4).unwrap_or_default().to_owned())
    };
    let start = std::time::Instant::now();
    while core_limit().as_deref() != Some("0") {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the core limit stayed {:?}",
            core_limit()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let read = |file: &str| {
        same_user("cat")
            .arg(format!("{proc_dir}/{file}"))
            .output()
            .unwrap()
    };
    let (environ, exe) = (read("environ"), read("cmdline"));
    let waiting = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(waiting, "the command was still waiting for its password");
    assert!(
        exe.status.success(),
        "the reader can see the process at all"
    );
    assert!(
        !environ.status.success() && environ.stdout.is_empty(),
        "its environment was readable by the same user"
    );
}
