//! Several Jira sites on one ServiceNow instance, each on its own alias:
//! the spoke's `sn_jira_spoke.Jira` for the first, a child alias of it for
//! every other (the fake takes one active connection per alias, as the
//! platform does by default). Records carry the site they serve, so an
//! admin elsewhere with the same connection name never re-points them, and
//! `servicenow remove` takes one site's records away and nothing else.
//! Also how the requests go: together, never more than the bound at once,
//! with progress at a terminal.

use serde_json::Value;

use crate::support::servicenow_fake::{ALIAS_SYS_ID, Row};
use crate::support::{CheckedOutput, FakeAtlassian, FakeServiceNow, TestEnv, output_text};

const SITES: [&str; 3] = [
    "1324a887-45db-1bf4-1e99-ef0ff456d421",
    "2bb3c4d5-0000-4000-8000-000000000002",
    "3cc4d5e6-0000-4000-8000-000000000003",
];

fn run(env: &TestEnv, sn: &FakeServiceNow, args: &[&str]) -> (i32, String, String) {
    let out = env
        .cmd_servicenow(sn)
        .env("BROWSER", env.curl_browser())
        .args(args)
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

/// A fake Jira site with its own Cloud ID.
fn site(cloud_id: &str) -> FakeAtlassian {
    let fake = FakeAtlassian::start();
    let id = cloud_id.to_owned();
    fake.configure(|s| s.cloud_id = id);
    fake
}

/// apply, consent and verify for connection `name`, each green.
fn set_up(env: &TestEnv, sn: &FakeServiceNow, name: &str) -> String {
    let (code, applied, stderr) = run(env, sn, &["-c", name, "servicenow", "apply"]);
    assert_eq!(code, 0, "{applied}{stderr}");
    let (code, stdout, stderr) = run(
        env,
        sn,
        &["-c", name, "servicenow", "consent", "--wait", "30"],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, verified, _) = run(env, sn, &["-c", name, "servicenow", "verify"]);
    assert_eq!(code, 0, "{verified}");
    applied
}

fn connection_of<'a>(rows: &'a [Row], cloud_id: &str) -> &'a Row {
    rows.iter()
        .find(|r| r["connection_url"].ends_with(cloud_id))
        .unwrap_or_else(|| panic!("no connection for {cloud_id}: {rows:#?}"))
}

#[test]
fn three_sites_each_get_an_alias_of_their_own_and_remove_takes_one_away() {
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    let fakes: Vec<FakeAtlassian> = SITES.iter().map(|id| site(id)).collect();
    for (fake, name) in fakes.iter().zip(["one", "two", "three"]) {
        env.connect_cc(fake, name);
    }
    let first = set_up(&env, &sn, "one");
    assert!(!first.contains("child alias"), "{first}");
    let second = set_up(&env, &sn, "two");
    assert!(
        second.contains("+ created   Connection & Credential Alias  sn_jira_spoke.Jira_2bb3c4d5"),
        "the child alias's ID is read back from the instance:\n{second}"
    );
    assert!(
        second.contains(
            "withConnectionAliasOverride('sn_jira_spoke.Jira', 'sn_jira_spoke.Jira_2bb3c4d5')"
        ),
        "{second}"
    );
    set_up(&env, &sn, "three");

    let aliases = sn.rows("sys_alias");
    assert_eq!(aliases.len(), 3, "{aliases:#?}");
    for child in aliases.iter().filter(|a| a["sys_id"] != ALIAS_SYS_ID) {
        assert_eq!(child["parent"], ALIAS_SYS_ID);
        assert_eq!(child["type"], "connection");
        assert_eq!(child["connection_type"], "http_connection");
        assert_eq!(child["multiple_connections"], "false", "never ticked");
    }
    let spoke = aliases
        .iter()
        .find(|a| a["sys_id"] == ALIAS_SYS_ID)
        .unwrap();
    assert_eq!(
        spoke["multiple_connections"], "false",
        "the spoke's alias is never edited"
    );
    let connections = sn.rows("http_connection");
    assert_eq!(connections.len(), 3);
    let under: Vec<&str> = SITES
        .iter()
        .map(|id| connection_of(&connections, id)["connection_alias"].as_str())
        .collect();
    assert_eq!(under[0], ALIAS_SYS_ID);
    assert!(under[1] != under[0] && under[2] != under[0] && under[1] != under[2]);
    assert!(connections.iter().all(|c| c["active"] == "true"));

    // Each re-apply changes nothing; each verify names how flows choose.
    for name in ["one", "two", "three"] {
        let writes = sn.writes().len();
        let (code, again, _) = run(&env, &sn, &["-c", name, "servicenow", "apply"]);
        assert_eq!(code, 0);
        assert!(again.contains("Nothing to change"), "{name}: {again}");
        assert_eq!(sn.writes().len(), writes, "{name}");
    }
    let (_, verify, _) = run(&env, &sn, &["-c", "three", "servicenow", "verify"]);
    assert!(
        verify.contains("✓ alias      sn_jira_spoke.Jira_3cc4d5e6 (")
            && verify.contains("More actions → Configure connections"),
        "{verify}"
    );
    let (_, verify, _) = run(&env, &sn, &["-c", "one", "servicenow", "verify"]);
    assert!(
        verify.contains("flows reach this Jira site through sn_jira_spoke.Jira by default"),
        "{verify}"
    );

    // remove: the plan first, then site two's records and its child alias.
    let before = sn.snapshot();
    let (code, plan, _) = run(
        &env,
        &sn,
        &["-c", "two", "servicenow", "remove", "--dry-run"],
    );
    assert_eq!(code, 0, "{plan}");
    assert_eq!(sn.snapshot(), before, "a dry run deletes nothing");
    assert!(plan.contains("- delete  HTTP(s) Connection"), "{plan}");
    let (code, json, _) = run(&env, &sn, &["--json", "-c", "two", "servicenow", "remove"]);
    assert_eq!(code, 0, "{json}");
    let report: Value = serde_json::from_str(&json).unwrap();
    let removed = report["removed"].as_array().unwrap();
    assert_eq!(removed.len(), 1 + 1 + 13 + 1 + 13 + 1 + 1, "{json}");
    assert_eq!(removed[0]["table"], "http_connection", "dependents first");
    assert_eq!(removed.last().unwrap()["table"], "sys_alias");
    assert_eq!(sn.rows("sys_alias").len(), 2);
    assert!(
        sn.rows("sys_alias")
            .iter()
            .any(|a| a["sys_id"] == ALIAS_SYS_ID)
    );
    assert_eq!(sn.rows("http_connection").len(), 2);
    assert_eq!(sn.rows("oauth_entity").len(), 2);
    assert!(
        !sn.rows("oauth_entity")
            .iter()
            .any(|r| r["name"].ends_with("for 2bb3c4d5"))
    );
    for name in ["one", "three"] {
        let (code, verify, _) = run(&env, &sn, &["-c", name, "servicenow", "verify"]);
        assert_eq!(code, 0, "{name}: {verify}");
    }
}

#[test]
fn two_admins_with_the_same_connection_name_and_other_sites_never_touch_each_others_records() {
    let sn = FakeServiceNow::start();
    let (a, b) = (site(SITES[0]), site(SITES[1]));
    let (env_a, env_b) = (TestEnv::new(), TestEnv::new());
    env_a.connect_cc(&a, "default");
    env_b.connect_cc(&b, "default");
    set_up(&env_a, &sn, "default");
    let theirs: Vec<Row> = ["oauth_entity", "oauth_2_0_credentials", "http_connection"]
        .iter()
        .flat_map(|t| sn.rows(t))
        .collect();

    set_up(&env_b, &sn, "default");
    for row in &theirs {
        let table = &row["sys_class_name"];
        let now = sn
            .rows(table)
            .into_iter()
            .find(|r| r["sys_id"] == row["sys_id"])
            .expect("still there");
        assert_eq!(&now, row, "admin A's {table} record was changed");
    }
    assert_eq!(sn.rows("http_connection").len(), 2);
    let (code, verify, _) = run(&env_a, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 0, "{verify}");
}

#[test]
fn records_an_earlier_version_named_are_adopted_for_the_same_site_and_left_for_another() {
    let sn = FakeServiceNow::start();
    let fake = site(SITES[0]);
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    set_up(&env, &sn, "default");
    // As an earlier version named them: by the connection alone.
    for table in ["oauth_entity", "oauth_2_0_credentials", "http_connection"] {
        for row in sn.rows(table) {
            let legacy = row["name"].trim_end_matches(" for 1324a887").to_owned();
            sn.set(table, &row["sys_id"], "name", &legacy);
        }
    }
    let counts = |sn: &FakeServiceNow| {
        [
            "oauth_entity",
            "oauth_entity_scope",
            "oauth_2_0_credentials",
            "http_connection",
        ]
        .map(|t| sn.rows(t).len())
    };
    let before = counts(&sn);
    let (code, out, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.contains("Created 0 and updated 3 records"), "{out}");
    assert!(
        out.contains("name: Jira cloud OAuth Connection (default) → Jira cloud OAuth Connection (default) for 1324a887"),
        "{out}"
    );
    assert_eq!(counts(&sn), before, "adopted, never duplicated");

    // Another admin's earlier records of the same name serve another site:
    // left alone, and this site gets its own.
    let sn = FakeServiceNow::start();
    let other = site(SITES[1]);
    let env_other = TestEnv::new();
    env_other.connect_cc(&other, "default");
    set_up(&env_other, &sn, "default");
    for table in ["oauth_entity", "oauth_2_0_credentials", "http_connection"] {
        for row in sn.rows(table) {
            let legacy = row["name"].trim_end_matches(" for 2bb3c4d5").to_owned();
            sn.set(table, &row["sys_id"], "name", &legacy);
        }
    }
    let theirs = sn.rows("http_connection");
    let (code, out, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{out}{stderr}");
    assert!(out.contains("Created 31"), "{out}");
    let now = sn.rows("http_connection");
    assert_eq!(now.len(), 2);
    assert!(
        now.contains(&theirs[0]),
        "the other site's connection is untouched"
    );
}

#[test]
fn a_child_alias_needs_the_admin_role_and_local_remove_names_what_stays() {
    let sn = FakeServiceNow::start();
    let (a, b) = (site(SITES[0]), site(SITES[1]));
    let env = TestEnv::new();
    env.connect_cc(&a, "one");
    env.connect_cc(&b, "two");
    set_up(&env, &sn, "one");
    sn.configure(|s| {
        s.roles = vec![
            "oauth_admin".into(),
            "connection_admin".into(),
            "credential_admin".into(),
        ]
    });
    let writes = sn.writes().len();
    let (code, _, stderr) = run(&env, &sn, &["-c", "two", "servicenow", "apply"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("the role admin (for sys_alias)"),
        "creating a child alias needs admin, said before writing: {stderr}"
    );
    assert_eq!(sn.writes().len(), writes);

    let out = env.cmd().args(["remove", "one"]).checked_output();
    let (stdout, _) = output_text(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout.contains(&format!("Left on ServiceNow {}", sn.url()))
            && stdout
                .contains("HTTP(s) Connection `Jira cloud OAuth Connection (one) for 1324a887`")
            && stdout.contains("servicenow remove"),
        "{stdout}"
    );
}

#[test]
fn connecting_a_name_to_another_site_asks_first_and_never_re_points_the_records() {
    let sn = FakeServiceNow::start();
    let (a, b) = (site(SITES[0]), site(SITES[1]));
    let env = TestEnv::new();
    env.connect_cc(&a, "default");
    set_up(&env, &sn, "default");
    let before = sn.snapshot();

    // A script: refused without --replace-site, nothing changed anywhere.
    let config = env.config_text();
    let out = env.connect(&b).name("default").run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("has the Jira spoke's records on ServiceNow")
            && stderr.contains("jira-spoke never re-points them")
            && stderr.contains("--replace-site"),
        "{stderr}"
    );
    assert_eq!(env.config_text(), config);

    let out = env
        .connect(&b)
        .name("default")
        .args(["--replace-site"])
        .run();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    assert!(
        env.config_text()
            .contains(&format!("servicenow_instance = \"{}\"", sn.url())),
        "the instance is still remembered"
    );
    assert_eq!(sn.snapshot(), before, "nothing on the instance changed");
    let applied = set_up(&env, &sn, "default");
    assert!(applied.contains("child alias"), "{applied}");
    let connections = sn.rows("http_connection");
    assert_eq!(
        connections.len(),
        2,
        "the first site's records keep serving it"
    );
    assert_eq!(connection_of(&connections, SITES[0])["active"], "true");
}

#[test]
fn requests_go_together_never_more_than_the_bound_at_once() {
    let sn = FakeServiceNow::start();
    sn.configure(|s| s.latency = std::time::Duration::from_millis(30));
    let fake = site(SITES[0]);
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{stderr}");
    let most = sn.max_in_flight();
    assert!(most > 1, "the 13 scope rows went one by one");
    assert!(most <= 8, "{most} requests in flight, over the bound of 8");
    assert_eq!(sn.rows("oauth_entity_scope").len(), 13);
    assert_eq!(sn.rows("oauth_entity_profile_scope").len(), 13);
    // verify's reads (schema, records, tokens) go together, bounded too.
    sn.reset_counts();
    run(&env, &sn, &["servicenow", "verify"]);
    let most = sn.max_in_flight();
    assert!((2..=8).contains(&most), "{most} requests in flight");
}

/// Two of jira-spoke's own connections for one site: the second gets a child
/// alias naming the connection that took the spoke's, and once both are
/// active on the spoke's alias (an earlier version, a hand edit), verify of
/// each names the other.
#[test]
fn two_of_our_own_connections_active_on_one_alias_are_reported() {
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    let fake = site(SITES[0]);
    env.connect_cc(&fake, "a");
    env.connect_cc(&fake, "b");
    set_up(&env, &sn, "a");
    let applied = set_up(&env, &sn, "b");
    assert!(
        applied.contains(
            "a child alias of sn_jira_spoke.Jira: sn_jira_spoke.Jira already has the active connection `Jira cloud OAuth Connection (a) for 1324a887`"
        ),
        "{applied}"
    );
    let b = sn
        .rows("http_connection")
        .into_iter()
        .find(|r| r["name"].contains("(b)"))
        .unwrap();
    sn.set(
        "http_connection",
        &b["sys_id"],
        "connection_alias",
        ALIAS_SYS_ID,
    );
    for (name, other) in [("a", "(b)"), ("b", "(a)")] {
        let (code, stdout, _) = run(&env, &sn, &["-c", name, "servicenow", "verify"]);
        assert_eq!(code, 4, "{stdout}");
        let line = stdout
            .lines()
            .find(|l| l.contains("✗ connection"))
            .unwrap_or_else(|| panic!("{stdout}"));
        assert!(
            line.contains("another connection is active on the alias")
                && line.contains(&format!("Jira cloud OAuth Connection {other} for 1324a887")),
            "{stdout}"
        );
    }
}

/// At a terminal, apply says how far it is ("OAuth Entity Scope 7/13")
/// and consent how long it has waited, instead of a bare spinner.
#[cfg(unix)]
#[test]
fn apply_and_consent_show_their_progress_at_a_terminal() {
    use crate::support::servicenow_fake::{SN_PASSWORD, SN_USER};
    let fake = site(SITES[0]);
    let sn = FakeServiceNow::start();
    // Long enough for the spinner's ticks between answers.
    sn.configure(|s| s.latency = std::time::Duration::from_millis(250));
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let in_terminal = |args: &[&str]| {
        let mut cmd = env.std_cmd_with_fake(&fake);
        cmd.env("TERM", "xterm")
            .env("JIRA_SPOKE_SERVICENOW_INSTANCE", sn.url())
            .env("JIRA_SPOKE_SERVICENOW_USER", SN_USER)
            .env("JIRA_SPOKE_SERVICENOW_PASSWORD", SN_PASSWORD)
            .env("BROWSER", "true")
            .args(args);
        let mut session = crate::support::pty::PtySession::spawn(cmd).expect("spawn in a pty");
        session.read_to_eof();
        let code = session.wait().code();
        let screen = session.transcript();
        crate::support::assert_no_secrets(&[("the terminal", &screen)], &[SN_PASSWORD]);
        (code, screen)
    };
    let (code, screen) = in_terminal(&["servicenow", "apply"]);
    assert_eq!(code, Some(0), "{screen}");
    assert!(
        screen.contains("Applying the Jira spoke's records on")
            && screen.contains("OAuth Entity Scope")
            && screen.contains("/13"),
        "{screen}"
    );
    let (code, screen) = in_terminal(&["servicenow", "consent", "--wait", "2", "--no-browser"]);
    assert_eq!(code, Some(3), "{screen}");
    assert!(
        screen.contains("Waiting for ServiceNow to receive an access token (1 s)"),
        "{screen}"
    );
}
