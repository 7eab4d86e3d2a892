//! Hostile conditions around what jira-spoke keeps on disk: planted symlinks
//! and shared directories, store files it cannot read whole, a refresh killed
//! after Atlassian rotated the token, a store that cannot be written, races of
//! `remove` and `connect` with a refresh, a stopped process holding a lock,
//! odd umasks and leftovers of killed writers. Each test runs the binary
//! against the fake and asserts what is left behind.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jira_spoke::store::ConfigFile;

use crate::support::{CheckedOutput, FakeAtlassian, TestEnv, check_secrets, output_text};

/// Atlassian's reuse interval (the fake's default `refresh_leeway`).
const REUSE_INTERVAL: Duration = Duration::from_secs(600);

fn spawn(mut cmd: Command) -> Child {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A child that is killed (SIGKILL) when the test ends, whatever happens.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `cmd` run by `sh` after `prelude` (a umask, a ulimit), same args and env.
fn in_shell(cmd: &Command, prelude: &str) -> Command {
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("{prelude}; exec \"$@\""))
        .arg("sh")
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => sh.env(key, value),
            None => sh.env_remove(key),
        };
    }
    sh
}

/// Polls (not sleeps for a result) until `done`, at most 30 s.
fn wait_until(what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(30), "never: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn secrets_json(env: &TestEnv) -> serde_json::Value {
    env.file_secrets()
}

fn entry_names(env: &TestEnv) -> Vec<String> {
    secrets_json(env)["secrets"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn files_named_tmp(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o7777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn token(env: &TestEnv, fake: &FakeAtlassian) -> std::process::Output {
    env.cmd_with_fake(fake)
        .arg("token")
        .timeout(Duration::from_secs(60))
        .checked_output()
}

/// A 3LO connection `default` whose access token has expired, and a `token`
/// started on it that is inside its refresh: Atlassian (the fake) has rotated
/// the refresh token and holds the answer back for `hold`.
fn refresh_in_flight(env: &TestEnv, fake: &FakeAtlassian, hold: Duration) -> Killed {
    env.connect_3lo(fake, "default");
    env.expire_tokens();
    fake.configure(|s| s.refresh_answer_delay = hold);
    let mut cmd = env.std_cmd_with_fake(fake);
    cmd.arg("token");
    let child = Killed(spawn(cmd));
    wait_until("the refresh token was rotated", || fake.rotations() == 1);
    child
}

// ---- planted files and shared directories ----

#[cfg(unix)]
#[test]
fn a_team_directory_is_refused_and_keeps_its_mode() {
    let fake = FakeAtlassian::start();
    for team_mode in [0o2775, 0o1777, 0o777] {
        let env = TestEnv::new();
        std::fs::create_dir_all(env.config_dir()).unwrap();
        set_mode(&env.config_dir(), team_mode);
        let out = env.connect(&fake).name("default").run();
        let (_, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(6), "{stderr}");
        assert!(
            stderr.contains(&format!("(mode {team_mode:04o})")),
            "{stderr}"
        );
        assert!(
            stderr.contains("hint:") && stderr.contains("chmod 700"),
            "{stderr}"
        );
        assert_eq!(mode(&env.config_dir()), team_mode, "changed silently");
        assert!(!env.config_dir().join("secrets.json").exists());
        assert!(!env.config_dir().join("config.toml").exists());
    }
}

/// `~/.config/jira-spoke` as `umask 002` (user-private groups, Ubuntu's
/// default) leaves it, 0775, e.g. made by the shell installer's receipt.
#[cfg(unix)]
fn default_config_dir_made_under_umask_002(env: &TestEnv) -> std::path::PathBuf {
    let dir = env.root().join("home/.config/jira-spoke");
    let made = Command::new("sh")
        .args(["-c", "umask 002 && mkdir -p \"$1\"", "sh"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(made.success());
    assert_eq!(mode(&dir), 0o775);
    dir
}

#[cfg(unix)]
#[test]
fn a_config_directory_made_under_umask_002_is_tightened_with_a_note() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let dir = default_config_dir_made_under_umask_002(&env);
    let mut connect = env.connect(&fake).name("default").command();
    connect.env_remove("JIRA_SPOKE_CONFIG_DIR");
    let out = in_shell(&connect, "umask 002").checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let note = format!("note: made {} private (mode 0775 → 0700)", dir.display());
    assert_eq!(stderr.matches(&note).count(), 1, "{stderr}");
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("config.toml")), 0o600);
    assert_eq!(mode(&dir.join("secrets.json")), 0o600);
}

#[cfg(unix)]
#[test]
fn list_works_in_a_0775_config_directory_of_your_own() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let dir = default_config_dir_made_under_umask_002(&env);
    set_mode(&dir, 0o700);
    let mut connect = env.connect(&fake).name("default").command();
    connect.env_remove("JIRA_SPOKE_CONFIG_DIR");
    assert_eq!(connect.checked_output().status.code(), Some(0));
    set_mode(&dir, 0o775);
    for run in ["first", "second"] {
        let mut list = env.std_cmd_with_fake(&fake);
        list.arg("list").env_remove("JIRA_SPOKE_CONFIG_DIR");
        let out = list.checked_output();
        let (stdout, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(0), "{run}: {stderr}");
        assert!(stdout.contains("default"), "{run}: {stdout}");
        let noted = stderr.contains("note: made");
        assert_eq!(noted, run == "first", "{run}: {stderr}");
        assert_eq!(mode(&dir), 0o700, "{run}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_secrets_json_is_refused_not_followed() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let elsewhere = env.root().join("another-users-secrets.json");
    std::fs::write(&elsewhere, r#"{"secrets":{}}"#).unwrap();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    let link = env.config_dir().join("secrets.json");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let out = env.connect(&fake).name("default").run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(&elsewhere).unwrap(),
        r#"{"secrets":{}}"#
    );
    assert!(env.config_text().is_empty(), "nothing stored");
}

/// The writer used to name its temp file `.<file>.<pid>.tmp`: anyone who can
/// plant files there guesses the next PIDs.
#[cfg(target_os = "linux")]
#[test]
fn symlinks_planted_at_guessable_temp_names_receive_nothing() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    let victim = env.root().join("victim");
    std::fs::write(&victim, "untouched").unwrap();
    let last: u32 = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    for pid in last..last + 400 {
        for file in ["secrets.json", "config.toml"] {
            let planted = env.config_dir().join(format!(".{file}.{pid}.tmp"));
            std::os::unix::fs::symlink(&victim, planted).unwrap();
        }
    }
    let out = env.connect(&fake).name("default").run();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    for file in ["secrets.json", "config.toml"] {
        let path = env.config_dir().join(file);
        let meta = std::fs::symlink_metadata(&path).unwrap();
        assert!(meta.file_type().is_file(), "{file} is not a plain file");
        assert_eq!(mode(&path), 0o600, "{file}");
    }
}

// ---- data loss ----

#[test]
fn a_secrets_json_it_cannot_read_whole_is_never_rewritten() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let out = env.connect(&fake).name("first").run();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    // A later format (or a hand edit) keeps the entries under another key.
    let path = env.config_dir().join("secrets.json");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"secrets\"", "\"entries\"");
    std::fs::write(&path, &text).unwrap();
    let out = env.connect(&fake).name("second").run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("cannot be read whole"), "{stderr}");
    assert!(stderr.contains("unknown field `entries`"), "{stderr}");
    assert!(stderr.contains("never rewrites"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "rewritten");
    assert!(!env.config_text().contains("[connections.second]"));
}

/// `ulimit -f 0` makes every file write fail (EFBIG), even for root: the
/// same position as a full disk, without one.
#[cfg(unix)]
#[test]
fn a_store_that_cannot_be_written_stops_the_refresh_before_it_is_sent() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");
    env.expire_tokens();
    let before = std::fs::read_to_string(env.config_dir().join("secrets.json")).unwrap();
    let mut cmd = env.std_cmd_with_fake(&fake);
    cmd.arg("token");
    let out = in_shell(&cmd, "trap '' XFSZ; ulimit -f 0").checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(fake.rotations(), 0, "the refresh token was sent anyway");
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("file size limit"), "{stderr}");
    assert!(stderr.contains("free some space"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(env.config_dir().join("secrets.json")).unwrap(),
        before
    );
    let out = token(&env, &fake);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    assert_eq!((fake.rotations(), fake.refresh_reuse_count()), (1, 0));
}

// ---- a refresh killed after Atlassian rotated ----

#[test]
fn a_refresh_killed_after_atlassian_rotated_recovers_within_the_reuse_interval() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    drop(refresh_in_flight(&env, &fake, Duration::from_secs(60)));
    fake.configure(|s| s.refresh_answer_delay = Duration::ZERO);
    let out = token(&env, &fake);
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.starts_with("fake-at-"), "{stdout}");
    assert_eq!(fake.refresh_reuse_count(), 1, "the old token was re-sent");
    // What is stored now is the rotated token, never used: no reuse needed.
    env.expire_tokens();
    let out = token(&env, &fake);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    assert_eq!((fake.rotations(), fake.refresh_reuse_count()), (2, 1));
}

#[test]
fn a_refresh_interrupted_past_the_reuse_interval_says_so_plainly() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    drop(refresh_in_flight(&env, &fake, Duration::from_secs(60)));
    fake.configure(|s| s.refresh_answer_delay = Duration::ZERO);
    fake.advance(REUSE_INTERVAL + Duration::from_secs(60));
    for _ in 0..2 {
        let out = token(&env, &fake);
        let (_, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        assert!(
            stderr
                .contains("the refresh of connection `default` was interrupted and its token lost"),
            "{stderr}"
        );
        assert!(
            stderr.contains("run `jira-spoke connect -c default"),
            "{stderr}"
        );
    }
    // Connecting again starts afresh.
    env.connect_3lo(&fake, "default");
    env.expire_tokens();
    let out = token(&env, &fake);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
}

#[test]
fn a_token_killed_at_any_point_after_the_rotation_leaves_one_that_works() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");
    for delay_ms in [0, 1, 2, 3, 5, 8, 12, 20, 35] {
        env.expire_tokens();
        let rotated = fake.rotations();
        let mut cmd = env.std_cmd_with_fake(&fake);
        cmd.arg("token");
        let mut child = Killed(spawn(cmd));
        wait_until("a refresh", || fake.rotations() > rotated);
        // Lands while the answer is read and stored, or just after.
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.0.kill();
        drop(child);
        let out = token(&env, &fake);
        assert_eq!(
            out.status.code(),
            Some(0),
            "after a kill {delay_ms} ms past the rotation: {}",
            output_text(&out).1
        );
        for dir in [env.config_dir(), env.config_dir().join("locks")] {
            assert_eq!(files_named_tmp(&dir), Vec::<String>::new(), "{delay_ms} ms");
        }
    }
}

// ---- races with a refresh ----

#[test]
fn remove_during_a_refresh_waits_and_leaves_no_orphaned_secrets() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let refreshing = refresh_in_flight(&env, &fake, Duration::from_secs(2));
    let out = env
        .cmd_with_fake(&fake)
        .args(["remove", "default"])
        .timeout(Duration::from_secs(60))
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout.matches("  deleted ").count(), 3, "{stdout}");
    let mut refreshing = refreshing;
    let out = check_secrets(wait_output(&mut refreshing));
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    assert_eq!(entry_names(&env), Vec::<String>::new(), "orphaned secrets");
    assert!(!env.config_text().contains("[connections.default]"));
}

#[test]
fn connect_replacing_a_connection_during_its_refresh_does_not_mix_credentials() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let mut refreshing = refresh_in_flight(&env, &fake, Duration::from_secs(2));
    let out = env.connect(&fake).name("default").run();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    let out = check_secrets(wait_output(&mut refreshing));
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);

    let config = ConfigFile::new(env.config_dir()).load().unwrap();
    let connection = config.connection("default").unwrap();
    let refs: Vec<String> = connection
        .secrets
        .iter()
        .map(|(_, r)| r.to_string())
        .collect();
    assert_eq!(refs.len(), 2, "client secret and access token: {refs:?}");
    let mut names = entry_names(&env);
    names.sort();
    let mut expected = refs.clone();
    expected.sort();
    assert_eq!(names, expected, "the store holds the new connection only");
    assert!(connection.secrets.refresh_token.is_none());
    // The stored token is the service account's, not the refreshed user's.
    let out = env
        .cmd_with_fake(&fake)
        .args(["--json", "verify"])
        .checked_output();
    let (stdout, _) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("jira-spoke service account"), "{stdout}");
}

fn wait_output(child: &mut Killed) -> std::process::Output {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    use std::io::Read;
    child
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .unwrap();
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_end(&mut stderr)
        .unwrap();
    let status = child.0.wait().unwrap();
    std::process::Output {
        status,
        stdout,
        stderr,
    }
}

// ---- hangs ----

#[cfg(unix)]
#[test]
fn a_stopped_token_holding_the_lock_is_named_by_the_next_one() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let holder = refresh_in_flight(&env, &fake, Duration::from_secs(120));
    let pid = holder.0.id();
    let stopped = Command::new("kill")
        .args(["-STOP", &pid.to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let started = Instant::now();
    let out = env
        .cmd_with_fake(&fake)
        .args(["--timeout", "1", "token"])
        .timeout(Duration::from_secs(60))
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(
        stderr.contains(&format!(
            "another jira-spoke (process {pid}) has been renewing the access token of `default`"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("gave up waiting"), "{stderr}");
    assert!(stderr.contains(&format!("kill {pid}")), "{stderr}");
    // Once it is gone, the next one recovers the refresh it left unfinished.
    drop(holder);
    fake.configure(|s| s.refresh_answer_delay = Duration::ZERO);
    let out = token(&env, &fake);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
}

// ---- honest files and messages ----

#[cfg(unix)]
#[test]
fn lock_and_store_files_are_private_whatever_the_umask() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let connect = env.connect(&fake).command();
    let out = in_shell(&connect, "umask 000").checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    env.expire_tokens();
    let mut token = env.std_cmd_with_fake(&fake);
    token.arg("token");
    let out = in_shell(&token, "umask 000").checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    let dir = env.config_dir();
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("locks")), 0o700);
    for file in [
        ".config.lock",
        ".secrets.lock",
        "locks/default.lock",
        "config.toml",
        "secrets.json",
    ] {
        assert_eq!(mode(&dir.join(file)), 0o600, "{file}");
    }
}

#[test]
fn a_config_that_is_not_utf8_is_located_not_blamed_on_permissions() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(
        env.config_dir().join("config.toml"),
        b"version = 1\n\n[connections.caf\xe9]\n",
    )
    .unwrap();
    let out = env.cmd().arg("list").checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(
        stderr.contains("not UTF-8 text (invalid byte 0xE9 at line 3, byte 17)"),
        "{stderr}"
    );
    assert!(!stderr.contains("permissions"), "{stderr}");
}

#[test]
fn temp_copies_of_secrets_left_by_killed_writers_are_removed() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let out = env.connect(&fake).name("first").run();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    // What a writer killed between writing its temp file and renaming it
    // leaves: a full copy of the secrets (old and new naming).
    let copy = std::fs::read(env.config_dir().join("secrets.json")).unwrap();
    for name in [".secrets.json.31337.tmp", ".secrets.json.q8ZkT1.tmp"] {
        std::fs::write(env.config_dir().join(name), &copy).unwrap();
    }
    let out = env.connect(&fake).name("second").run();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    assert_eq!(files_named_tmp(&env.config_dir()), Vec::<String>::new());
    assert_eq!(entry_names(&env).len(), 4);
}

/// Whoever can write the file a config symlink points at could move the
/// token URL: such a config is refused before a byte of it is read.
#[cfg(unix)]
#[test]
fn a_config_symlinked_to_a_file_others_may_write_is_refused() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect(&fake).name("default").run();
    let config = env.config_dir().join("config.toml");
    let shared = env.root().join("shared-config.toml");
    std::fs::rename(&config, &shared).unwrap();
    std::os::unix::fs::symlink(&shared, &config).unwrap();
    set_mode(&shared, 0o600);
    let listed = env.cmd().arg("list").checked_output();
    assert!(
        listed.status.success(),
        "a symlink to my own 0600 file is fine"
    );

    set_mode(&shared, 0o666);
    let before = std::fs::read(&shared).unwrap();
    for args in [&["list"][..], &["token"]] {
        let out = env.cmd_with_fake(&fake).args(args).checked_output();
        let (stdout, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(6), "{args:?}: {stderr}");
        assert!(
            stderr.contains("refusing to read") && stderr.contains("others may write"),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("chmod 600"),
            "the hint says what to do: {stderr}"
        );
        assert_eq!(
            stderr.trim().lines().count(),
            2,
            "one error and its hint: {stderr}"
        );
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
    }
    // verify reports it as its failed config check.
    let out = env.cmd_with_fake(&fake).arg("verify").checked_output();
    let (stdout, _) = output_text(&out);
    assert_eq!(out.status.code(), Some(6), "{stdout}");
    assert!(
        stdout.contains("✗ config") && stdout.contains("others may write"),
        "{stdout}"
    );
    assert_eq!(std::fs::read(&shared).unwrap(), before, "left as it was");
}

/// A FIFO where the config belongs would block a plain read for ever, and
/// /dev/zero would never end: both are named and refused at once.
#[cfg(unix)]
#[test]
fn a_config_that_is_a_fifo_or_a_device_is_refused_without_waiting() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    let config = env.config_dir().join("config.toml");
    let made = Command::new("mkfifo").arg(&config).status().unwrap();
    assert!(made.success());
    let out = env
        .cmd()
        .arg("list")
        .timeout(Duration::from_secs(20))
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");

    std::fs::remove_file(&config).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &config).unwrap();
    let out = env
        .cmd()
        .arg("list")
        .timeout(Duration::from_secs(20))
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    // The end-of-test config check would read /dev/zero for ever.
    std::fs::remove_file(&config).unwrap();
}

/// A config of 1,000 connections is under 1 MiB; a file of 17 MiB is not a
/// config and is not read into memory.
#[test]
fn a_config_larger_than_any_config_is_refused() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    let config = env.config_dir().join("config.toml");
    let file = std::fs::File::create(&config).unwrap();
    file.set_len(17 * 1024 * 1024).unwrap();
    let out = env.cmd().arg("list").checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("more than the"), "{stderr}");
}
