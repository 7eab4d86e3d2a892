//! The loopback side of the browser flow, through the real binary: forged
//! callbacks, what the browser's command line shows other users, idle
//! sockets against the callback timeout, bounds on duration flags, and a
//! machine where no browser ever comes.

#![cfg(unix)]

use std::io::BufRead;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::support::{CheckedOutput, FakeAtlassian, Grant, TestEnv, free_port, output_text};

/// An executable `$BROWSER` that appends its argv to `argv.txt`, then runs
/// `body` (the URL is `$1`; `$log` is `browser.log` beside it).
fn browser(env: &TestEnv, body: &str) -> PathBuf {
    let path = env.root().join("browser.sh");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nlog=\"$(dirname \"$0\")/browser.log\"\n\
             printf '%s\\n' \"$@\" >> \"$(dirname \"$0\")/argv.txt\"\n{body}\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn read(env: &TestEnv, name: &str) -> String {
    std::fs::read_to_string(env.root().join(name)).unwrap_or_default()
}

/// [`read`] once `ready` holds for the text (polled, at most 10 s).
fn read_when(env: &TestEnv, name: &str, ready: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let text = read(env, name);
        if ready(&text) || started.elapsed() > Duration::from_secs(10) {
            return text;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Shell lines that send denials with a forged description: without `state`, and with a guessed one.
fn forged_denials(port: u16) -> String {
    let cb = format!(
        "http://127.0.0.1:{port}/callback?error=access_denied&error_description=Forged%20by%20a%20stranger"
    );
    format!(
        "curl -s -o /dev/null -w 'no state: %{{http_code}}\\n' '{cb}' >> \"$log\"\n\
         curl -s -o /dev/null -w 'guessed state: %{{http_code}}\\n' '{cb}&state=guess' >> \"$log\""
    )
}

#[test]
fn a_denial_without_state_is_refused_and_the_wait_times_out() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let port = free_port();
    let browser = browser(&env, &forged_denials(port));
    let out = env
        .connect(&fake)
        .grant(Grant::AuthorizationCode)
        .port(port)
        .browser(&browser)
        .callback_timeout("3")
        .command()
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("no callback reached"), "{stderr}");
    assert!(!stderr.contains("Forged"), "{stderr}");
    assert!(!stderr.contains("denied"), "{stderr}");
    let log = read(&env, "browser.log");
    assert!(log.contains("no state: 400"), "{log}");
    assert!(log.contains("guessed state: 400"), "{log}");
    assert!(env.config_text().is_empty());
}

#[test]
fn a_forged_error_description_never_ends_the_login() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let port = free_port();
    let body = format!("{}\ncurl -sfL \"$1\" > /dev/null", forged_denials(port));
    let out = env
        .connect(&fake)
        .grant(Grant::AuthorizationCode)
        .port(port)
        .browser(browser(&env, &body))
        .callback_timeout("20")
        .command()
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("Connected `default`"), "{stdout}");
    assert!(!stderr.contains("Forged") && !stdout.contains("Forged"));
    assert!(read(&env, "browser.log").contains("no state: 400"));
}

#[test]
fn the_browser_command_line_carries_no_state_or_code_challenge() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let port = free_port();
    let browser = browser(&env, "curl -sfL \"$1\" > /dev/null");
    let out = env
        .connect(&fake)
        .grant(Grant::AuthorizationCode)
        .port(port)
        .browser(&browser)
        .callback_timeout("20")
        .command()
        .checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    let argv = read(&env, "argv.txt");
    assert!(
        argv.starts_with(&format!("http://127.0.0.1:{port}/")),
        "{argv}"
    );
    for secret in ["state", "code_challenge", "authorize"] {
        assert!(
            !argv.contains(secret),
            "{secret} in the browser's argv: {argv}"
        );
    }
    let authorize = fake.requests_to("/authorize");
    let query = authorize[0].query.clone().unwrap();
    assert!(
        query.contains("state=") && query.contains("code_challenge="),
        "the browser still reached the authorize URL with both: {query}"
    );
}

#[test]
fn the_start_link_redirects_once_and_a_second_visit_stops_the_login() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let port = free_port();
    let probe = |label: &str, url: &str| {
        format!(
            "curl -s -o /dev/null -w '{label}: %{{http_code}} [%{{redirect_url}}]\\n' \"{url}\" >> \"$log\""
        )
    };
    let body = [
        probe("guessed", &format!("http://127.0.0.1:{port}/start/guessed")),
        probe("first", "$1"),
        probe("second", "$1"),
    ]
    .join("\n");
    let out = env
        .connect(&fake)
        .grant(Grant::AuthorizationCode)
        .port(port)
        .browser(browser(&env, &body))
        .callback_timeout("20")
        .command()
        .checked_output();
    let (_, stderr) = output_text(&out);
    // jira-spoke may exit as it answers the second visit, before curl logs it.
    let log = read_when(&env, "browser.log", |log| log.contains("second:"));
    assert!(log.contains("guessed: 404 []"), "{log}");
    assert!(
        log.contains(&format!("first: 302 [{}/authorize?", fake.url())),
        "{log}"
    );
    assert!(log.contains("second: 409 []"), "{log}");
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("opened twice"), "{stderr}");
    assert!(fake.requests_to("/oauth/token").is_empty());
    assert!(env.config_text().is_empty());
}

#[test]
fn idle_sockets_do_not_stretch_the_callback_timeout() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let port = free_port();
    let browser = browser(&env, "touch \"$(dirname \"$0\")/opened\"");
    let started = Instant::now();
    let mut child = env
        .connect(&fake)
        .grant(Grant::AuthorizationCode)
        .port(port)
        .browser(&browser)
        .callback_timeout("3")
        .command()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while !env.root().join("opened").exists() {
        assert!(started.elapsed() < Duration::from_secs(10), "no browser");
        std::thread::sleep(Duration::from_millis(20));
    }
    let idle: Vec<_> = (0..40)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    // The wait began before the browser opened: at most 3 s are left of it.
    let idle_since = Instant::now();
    let exited = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(15) {
            child.kill().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let elapsed = idle_since.elapsed();
    drop(idle);
    let out = crate::support::check_secrets(child.wait_with_output().unwrap());
    assert!(exited.is_some(), "still waiting after {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_eq!(out.status.code(), Some(5), "{}", output_text(&out).1);
    assert!(output_text(&out).1.contains("within 3 s"));
}

#[test]
fn duration_flags_out_of_range_exit_2_naming_the_range() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let browser = browser(&env, "true");
    let huge = "9223372036854775807";
    let connect = || {
        env.connect(&fake)
            .grant(Grant::AuthorizationCode)
            .browser(&browser)
    };
    let runs = [
        (
            "--callback-timeout huge",
            connect().callback_timeout(huge).command(),
        ),
        (
            "--callback-timeout 0",
            connect().callback_timeout("0").command(),
        ),
        (
            "--timeout huge",
            connect().args(["--timeout", huge]).command(),
        ),
        (
            "JIRA_SPOKE_TIMEOUT",
            connect().env("JIRA_SPOKE_TIMEOUT", huge).command(),
        ),
    ];
    for (case, mut cmd) in runs {
        let out = cmd.checked_output();
        let (_, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(2), "{case}: {stderr}");
        assert!(stderr.contains("1..=3600"), "{case}: {stderr}");
    }
    assert!(fake.requests().is_empty());
    assert!(!env.root().join("argv.txt").exists(), "no browser opened");
}

#[test]
fn a_browser_that_never_comes_points_to_no_browser() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let browser = browser(&env, "true");
    let started = Instant::now();
    let mut child = env
        .connect(&fake)
        .grant(Grant::AuthorizationCode)
        .browser(&browser)
        .callback_timeout("60")
        .command()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let hint = loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(line) if line.contains("--no-browser") => break Some((line, started.elapsed())),
            Ok(line) => seen.push(line),
            Err(_) if started.elapsed() > Duration::from_secs(20) => break None,
            Err(_) => {}
        }
    };
    let still_waiting = child.try_wait().unwrap().is_none();
    child.kill().unwrap();
    child.wait().unwrap();
    let (line, at) = hint.unwrap_or_else(|| panic!("no hint in 20 s: {seen:#?}"));
    assert!(
        still_waiting,
        "the hint came while waiting, not with an error"
    );
    assert!(
        at >= Duration::from_secs(2),
        "after a few seconds, not at once: {at:?}"
    );
    assert!(!line.starts_with("error:"), "{line}");
}
