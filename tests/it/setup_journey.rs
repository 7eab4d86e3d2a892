//! The setup wizard's logic, driven through the library with a scripted
//! prompter against the fake Atlassian (and, for a ServiceNow Jira spoke,
//! the fake ServiceNow instance): the questions asked, in order, and what
//! ends up stored, for every branch.

use std::time::Duration;

use crate::support::servicenow_fake::{SN_PASSWORD, SN_USER};
use crate::support::{FakeAtlassian, FakeServiceNow, TestEnv, assert_no_secrets};
use jira_spoke::atlassian::Endpoints;
use jira_spoke::cli::ColorChoice;
use jira_spoke::commands::setup::{Wizard, journey};
use jira_spoke::error::Error;
use jira_spoke::http::Http;
use jira_spoke::output::Printer;
use jira_spoke::secret::Secret;
use jira_spoke::settings::{ServiceNowEnv, Settings};
use jira_spoke::store::file::FileStore;
use jira_spoke::store::{ConfigFile, Grant, MemoryStore, SecretStore, StoreKind, Stores};
use jira_spoke::ui::prompt::{Answer, ScriptedPrompter};

pub(crate) const SECRET: &str = "spoke-client-secret-XYZ123";

fn settings(env: &TestEnv, fake: &FakeAtlassian, store: Option<StoreKind>) -> Settings {
    Settings {
        connection: "default".into(),
        endpoints: Endpoints::from_overrides(Some(&fake.url()), Some(&fake.url())).unwrap(),
        config: ConfigFile::new(env.config_dir()),
        store,
        keyring_service: "jira-spoke-test".into(),
        timeout: Duration::from_secs(10),
        ca_file: None,
    }
}

/// Runs the journey; the keyring is `keyring`, a memory store the test keeps.
fn run_with(
    env: &TestEnv,
    fake: &FakeAtlassian,
    keyring: &MemoryStore,
    answers: Vec<Answer>,
) -> (
    Result<Option<jira_spoke::commands::setup::SetupReport>, Error>,
    ScriptedPrompter,
) {
    run_full(env, fake, keyring, ServiceNowEnv::default(), 30, answers)
}

/// [`run_with`], with `JIRA_SPOKE_SERVICENOW_*` as `servicenow_env` and
/// ServiceNow's consent waited for `consent_wait` seconds.
fn run_full(
    env: &TestEnv,
    fake: &FakeAtlassian,
    keyring: &MemoryStore,
    servicenow_env: ServiceNowEnv,
    consent_wait: u64,
    answers: Vec<Answer>,
) -> (
    Result<Option<jira_spoke::commands::setup::SetupReport>, Error>,
    ScriptedPrompter,
) {
    let settings = settings(env, fake, None);
    let dir = env.config_dir();
    let keyring = keyring.clone();
    let stores = Stores::custom(move |kind| -> Box<dyn SecretStore> {
        match kind {
            StoreKind::File => Box::new(FileStore::new(&dir)),
            StoreKind::Keyring => Box::new(keyring.clone()),
        }
    });
    let http = Http::new(Duration::from_secs(10), None).unwrap();
    let printer = Printer::new(false, true, ColorChoice::Never);
    let wizard = Wizard {
        settings: &settings,
        http: &http,
        printer: &printer,
        stores: &stores,
        headless: true,
        spin: false,
        servicenow_env,
        consent_wait: Duration::from_secs(consent_wait),
    };
    let mut prompter = ScriptedPrompter::new(answers);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let result = runtime.block_on(journey::run(&wizard, &mut prompter));
    (result, prompter)
}

/// Runs the journey with a fresh keyring, switched off when `keyring_down`.
pub(crate) fn run(
    env: &TestEnv,
    fake: &FakeAtlassian,
    keyring_down: bool,
    answers: Vec<Answer>,
) -> (
    Result<Option<jira_spoke::commands::setup::SetupReport>, Error>,
    ScriptedPrompter,
) {
    let keyring = MemoryStore::new();
    keyring.set_unavailable(keyring_down);
    run_with(env, fake, &keyring, answers)
}

/// A new client-credentials connection with every default accepted.
fn client_credentials_answers(fake: &FakeAtlassian) -> Vec<Answer> {
    vec![
        input(&fake.url()),
        Answer::Select(0),
        Answer::Confirm(false),
        Answer::MultiSelect((0..13).collect()),
        input(""),
        input("spoke-client-id"),
        Answer::Secret(SECRET.into()),
    ]
}

pub(crate) fn input(s: &str) -> Answer {
    Answer::Input(s.into())
}

#[test]
fn client_credentials_journey_retries_a_bad_site_and_edits_scopes() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let all_but_webhook: Vec<usize> = (0..13).filter(|&i| i != 2).collect();
    let (result, prompter) = run(
        &env,
        &fake,
        false,
        vec![
            input("acme corp"),
            input(&fake.url()),
            Answer::Select(0),
            Answer::Confirm(false),
            Answer::MultiSelect(all_but_webhook),
            Answer::Confirm(true),
            input("read:me"),
            input("spoke-client-id"),
            Answer::Secret(SECRET.into()),
        ],
    );
    let report = result.unwrap().expect("a finished set-up");
    assert!(prompter.is_done());
    assert_eq!(
        prompter.asked,
        [
            "Jira site",
            "Jira site",
            "How should jira-spoke authenticate?",
            "Are you configuring a ServiceNow Jira spoke with this connection?",
            "Scopes (space toggles, Enter accepts; the ServiceNow Jira spoke needs all of them)",
            "Leave out classic: manage:jira-webhook? A ServiceNow Jira spoke could not use this connection.",
            "Other scopes to add (space-separated, Enter for none)",
            "Client ID",
            "Client secret",
        ]
    );
    let notes = prompter.notes.join("\n");
    assert!(
        notes.contains("✗ `acme corp` is not a Jira Cloud site"),
        "{notes}"
    );
    assert!(
        notes.contains("✓ Cloud ID 1324a887-45db-1bf4-1e99-ef0ff456d421"),
        "{notes}"
    );
    assert!(
        notes.contains("Service accounts"),
        "the client-credentials checklist: {notes}"
    );
    assert_eq!(report.grant, Grant::ClientCredentials);
    assert!(
        report
            .ci_command
            .contains("JIRA_SPOKE_CLIENT_SECRET=… jira-spoke connect --grant client-credentials")
    );
    assert_eq!(
        report.ci_servicenow_command, None,
        "no ServiceNow records were written"
    );
    let config = ConfigFile::new(env.config_dir()).load().unwrap();
    let stored = config.connection("default").unwrap();
    assert!(
        !stored.scopes.contains(&"manage:jira-webhook".to_owned()),
        "{:?}",
        stored.scopes
    );
    assert!(stored.scopes.contains(&"read:me".to_owned()));
    assert!(
        !report.verified,
        "read:me was requested but not granted, and verify says so"
    );
    assert!(notes.contains("not granted: read:me"), "{notes}");
}

#[test]
fn a_wrong_secret_is_explained_and_asked_again() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let (result, prompter) = run(
        &env,
        &fake,
        false,
        vec![
            input(&fake.url()),
            Answer::Select(0),
            Answer::Confirm(false),
            Answer::MultiSelect((0..13).collect()),
            input(""),
            input("spoke-client-id"),
            Answer::Secret("wrong-secret".into()),
            Answer::Confirm(true),
            input("spoke-client-id"),
            Answer::Secret(SECRET.into()),
        ],
    );
    let report = result.unwrap().expect("a finished set-up");
    assert!(report.verified);
    assert!(
        prompter
            .asked
            .contains(&"Enter the credentials again?".to_owned())
    );
    let notes = prompter.notes.join("\n");
    assert!(
        notes.contains("rejected the client ID or secret"),
        "{notes}"
    );
    assert!(
        !notes.contains("wrong-secret") && !notes.contains(SECRET),
        "no secret in any note"
    );
}

#[test]
fn an_unavailable_keyring_leads_to_the_file_store_only_with_consent() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let (result, prompter) = run(&env, &fake, true, vec![Answer::Confirm(false)]);
    let err = result.unwrap_err();
    assert_eq!(err.kind().exit_code(), 6);
    assert_eq!(
        prompter.asked,
        ["Keep the secrets in that plaintext file instead?"]
    );
    assert!(env.config_text().is_empty(), "nothing stored");

    let (result, _) = run(
        &env,
        &fake,
        true,
        vec![
            Answer::Confirm(true),
            input(&fake.url()),
            Answer::Select(0),
            Answer::Confirm(false),
            Answer::MultiSelect((0..13).collect()),
            input(""),
            input("spoke-client-id"),
            Answer::Secret(SECRET.into()),
        ],
    );
    let report = result.unwrap().expect("a finished set-up");
    assert_eq!(report.store, "file");
    let secrets = std::fs::read_to_string(env.config_dir().join("secrets.json")).unwrap();
    assert!(secrets.contains(SECRET));
}

#[test]
fn rerunning_offers_repair_which_keeps_the_settings_and_asks_only_the_secret() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let first = client_credentials_answers(&fake);
    let keyring = MemoryStore::new();
    run_with(&env, &fake, &keyring, first).0.unwrap().unwrap();
    let before = ConfigFile::new(env.config_dir()).load().unwrap();

    let (result, prompter) = run_with(
        &env,
        &fake,
        &keyring,
        vec![Answer::Select(0), Answer::Secret(SECRET.into())],
    );
    let report = result.unwrap().expect("a finished set-up");
    assert!(report.verified, "{report:?}");
    assert_eq!(
        keyring.len(),
        2,
        "the old entries were deleted, the new ones written"
    );
    assert!(
        prompter.asked[0].starts_with("A connection named `default` exists"),
        "{:?}",
        prompter.asked
    );
    assert_eq!(prompter.asked[1], "Client secret");
    let after = ConfigFile::new(env.config_dir()).load().unwrap();
    assert_eq!(after.connections.len(), 1, "never duplicated");
    let (b, a) = (
        before.connection("default").unwrap(),
        after.connection("default").unwrap(),
    );
    assert_eq!(a.scopes, b.scopes);
    assert_eq!(a.cloud_id, b.cloud_id);
    assert_ne!(a.secrets, b.secrets, "fresh entries");
}

#[test]
fn cancelling_or_interrupting_leaves_everything_as_it_was() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let first = client_credentials_answers(&fake);
    run(&env, &fake, false, first).0.unwrap().unwrap();
    let before = env.config_text();

    let (result, _) = run(&env, &fake, false, vec![Answer::Select(3)]);
    assert!(
        result.unwrap().is_none(),
        "Cancel is a choice, not an interruption or an error"
    );
    let (result, _) = run(
        &env,
        &fake,
        false,
        vec![Answer::Select(1), Answer::Interrupt],
    );
    assert_eq!(result.unwrap_err().kind().exit_code(), 130);
    let (result, _) = run(
        &env,
        &fake,
        false,
        vec![
            Answer::Select(1),
            input(&fake.url()),
            Answer::Select(0),
            Answer::Interrupt,
        ],
    );
    assert_eq!(result.unwrap_err().kind().exit_code(), 130);
    assert_eq!(env.config_text(), before);
}

#[test]
fn api_token_journey_asks_for_the_site_address_when_given_a_cloud_id() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let (result, prompter) = run(
        &env,
        &fake,
        false,
        vec![
            input("https://admin.atlassian.com/s/1324a887-45db-1bf4-1e99-ef0ff456d421/apps"),
            Answer::Select(2),
            Answer::Confirm(false),
            input(&fake.url()),
            input("admin@example.com"),
            Answer::Secret("api-token-SECRET-456".into()),
        ],
    );
    let report = result.unwrap().expect("a finished set-up");
    assert!(report.verified, "{report:?}");
    assert_eq!(report.grant, Grant::ApiToken);
    assert_eq!(
        prompter.asked,
        [
            "Jira site",
            "How should jira-spoke authenticate?",
            "Are you configuring a ServiceNow Jira spoke with this connection?",
            "Jira site",
            "Atlassian account e-mail",
            "API token",
        ]
    );
    assert!(
        report.ci_command.contains("--grant api-token"),
        "{}",
        report.ci_command
    );
}

#[test]
fn a_servicenow_set_up_ends_with_the_export_for_its_forms() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let (result, prompter) = run(
        &env,
        &fake,
        false,
        vec![
            input(&fake.url()),
            Answer::Select(0),
            Answer::Confirm(true),
            Answer::MultiSelect((0..13).collect()),
            input(""),
            input("spoke-client-id"),
            Answer::Secret(SECRET.into()),
            Answer::Confirm(false),
        ],
    );
    let report = result.unwrap().expect("a finished set-up");
    assert_eq!(
        prompter.asked.last().unwrap(),
        "Create the Jira spoke's records on your ServiceNow instance now? \
         (No: jira-spoke lists what to type in ServiceNow's forms)"
    );
    assert!(report.spoke.is_none());
    let export = report.servicenow.as_ref().expect("the ServiceNow export");
    let forms: Vec<&str> = export.forms.iter().map(|f| f.form.as_str()).collect();
    assert_eq!(forms[0], "Application Registry");
    assert!(
        report
            .to_string()
            .contains("Default Grant type    Client Credentials"),
        "{report}"
    );
    assert!(!report.to_string().contains(SECRET));
    assert!(prompter.is_done());
}

#[test]
fn a_network_failure_at_the_last_step_keeps_the_answers_and_offers_a_retry() {
    let fake = FakeAtlassian::start();
    fake.fail_next("/oauth/token", 1, 500, &[], "<html>down</html>");
    let env = TestEnv::new();
    let mut answers = client_credentials_answers(&fake);
    answers.extend([
        Answer::Select(0), // Try again
        Answer::Default,   // the Client ID, offered again
        Answer::Secret(SECRET.into()),
    ]);
    let (result, prompter) = run(&env, &fake, false, answers);
    let report = result.unwrap().expect("a finished set-up");
    assert!(report.verified, "{report:?}");
    assert!(prompter.is_done());
    assert_eq!(
        prompter.asked[prompter.asked.len() - 3..],
        [
            "Atlassian could not be reached. What now?",
            "Client ID",
            "Client secret"
        ],
        "only the credentials are asked again: {:?}",
        prompter.asked
    );
    assert_eq!(
        prompter.asked.iter().filter(|q| *q == "Jira site").count(),
        1,
        "the site is not asked again"
    );
    assert_eq!(
        prompter.defaults.last().unwrap(),
        &("Client ID".to_owned(), Some("spoke-client-id".to_owned())),
        "the Client ID is pre-filled"
    );
    let notes = prompter.notes.join("\n");
    assert!(notes.contains("HTTP 500"), "{notes}");
    assert!(notes.contains("answers are kept"), "{notes}");
    let stored = ConfigFile::new(env.config_dir()).load().unwrap();
    assert_eq!(
        stored.connection("default").unwrap().client_id.as_deref(),
        Some("spoke-client-id")
    );
}

#[test]
fn cancel_after_a_network_failure_saves_nothing_and_ends_with_that_failure() {
    let fake = FakeAtlassian::start();
    fake.fail_next("/oauth/token", 1, 500, &[], "<html>down</html>");
    let env = TestEnv::new();
    let mut answers = client_credentials_answers(&fake);
    answers.push(Answer::Select(1)); // Cancel
    let (result, prompter) = run(&env, &fake, false, answers);
    let err = result.unwrap_err();
    assert!(prompter.is_done());
    assert!(
        !matches!(err, Error::Interrupted),
        "Cancel is not an interruption: {err:?}"
    );
    assert_eq!(err.kind().exit_code(), 5, "the failure's own exit code");
    assert!(env.config_text().is_empty(), "nothing stored");
}

#[test]
fn setup_ends_with_the_exit_code_of_the_first_failed_check() {
    let fake = FakeAtlassian::start();
    // The Cloud ID answers for another site: verify's server check fails
    // as "not found" (4), not as an authentication failure (3).
    fake.configure(|s| s.site_url = "https://other.atlassian.net".into());
    let env = TestEnv::new();
    let (result, _) = run(&env, &fake, false, client_credentials_answers(&fake));
    let report = result.unwrap().expect("a finished set-up");
    assert!(!report.verified);
    let err = report.result().unwrap_err();
    assert_eq!(err.kind().exit_code(), 4, "{err:?}");

    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let (result, _) = run(&env, &fake, false, client_credentials_answers(&fake));
    assert!(result.unwrap().unwrap().result().is_ok());
}

/// The admin the fake instance accepts, as `JIRA_SPOKE_SERVICENOW_*` give it.
fn sn_env(sn: &FakeServiceNow) -> ServiceNowEnv {
    ServiceNowEnv {
        instance: Some(sn.url()),
        user: Some(SN_USER.into()),
        password: Some(Secret::new(SN_PASSWORD)),
        ..ServiceNowEnv::default()
    }
}

/// Acts as the admin's browser for "Get OAuth Token": once the wizard has
/// read which refresh tokens ServiceNow held before (its first look at
/// `oauth_credential`), visits the credential's initiator page.
fn give_consent_when_asked(sn: &FakeServiceNow) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !sn
        .requests()
        .iter()
        .any(|r| r.path == "/api/now/table/oauth_credential")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the wizard never started the consent"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let credential = sn.rows("oauth_2_0_credentials")[0]["sys_id"].clone();
    let profile = sn.rows("oauth_entity_profile")[0]["sys_id"].clone();
    let url = format!(
        "{}/oauth_initiator.do?oauth_requestor_context=oauth_2_0_credentials&oauth_requestor={credential}&oauth_provider_profile={profile}&response_type=code",
        sn.url()
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = runtime.block_on(async { reqwest::get(&url).await.unwrap().status() });
    assert_eq!(status, 200, "the initiator page");
}

#[test]
fn a_servicenow_authorization_code_set_up_consents_in_servicenow_and_verifies_both_sides() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    let keyring = MemoryStore::new();
    let (result, prompter) = std::thread::scope(|scope| {
        scope.spawn(|| give_consent_when_asked(&sn));
        run_full(
            &env,
            &fake,
            &keyring,
            sn_env(&sn),
            30,
            vec![
                input(&fake.url()),
                Answer::Select(1),
                Answer::Confirm(true),
                Answer::Default, // the instance, from JIRA_SPOKE_SERVICENOW_INSTANCE
                Answer::MultiSelect((0..13).collect()),
                input(""),
                input("spoke-client-id"),
                Answer::Secret(SECRET.into()),
                Answer::Confirm(true),
            ],
        )
    });
    let report = result.unwrap().expect("a finished set-up");
    assert!(prompter.is_done(), "{:?}", prompter.asked);
    assert_eq!(
        prompter.asked,
        [
            "Jira site",
            "How should jira-spoke authenticate?",
            "Are you configuring a ServiceNow Jira spoke with this connection?",
            "ServiceNow instance (the name before .service-now.com)",
            "Scopes (space toggles, Enter accepts; the ServiceNow Jira spoke needs all of them)",
            "Other scopes to add (space-separated, Enter for none)",
            "Client ID",
            "Client secret",
            &format!(
                "Create the Jira spoke's records on {} now? (No: jira-spoke lists what to type in ServiceNow's forms)",
                sn.url()
            ),
        ],
        "no callback question: the callback is the instance's"
    );
    let callback = format!("{}/oauth_redirect.do", sn.url());
    let notes = prompter.notes.join("\n");
    assert!(
        notes.contains(&format!("Callback URL, exactly:\n       {callback}")),
        "the checklist registers ServiceNow's callback: {notes}"
    );
    assert!(
        notes.contains(&format!(
            "Signing in to {} as `admin` (from JIRA_SPOKE_SERVICENOW_USER and JIRA_SPOKE_SERVICENOW_PASSWORD)",
            sn.url()
        )),
        "{notes}"
    );
    assert!(
        notes.contains("Created 32 and updated 0 records"),
        "{notes}"
    );
    assert!(
        notes.contains(
            "✓ ServiceNow holds a refresh token for `Jira Authorization Code cred (default) for 1324a887`"
        ),
        "{notes}"
    );
    assert!(
        notes.contains("4 checks passed, 4 skipped: site, identity, server, scopes."),
        "the Atlassian verify shows what it did not run as skipped: {notes}"
    );
    assert!(
        !notes.contains("All 8 checks passed."),
        "the Atlassian verify: {notes}"
    );
    assert!(
        notes.contains("All 10 checks passed."),
        "the ServiceNow verify: {notes}"
    );
    assert!(
        notes.find("4 skipped").unwrap() < notes.find("All 10 checks").unwrap(),
        "Atlassian's verify, then ServiceNow's"
    );
    assert_no_secrets(&[("notes", &notes)], &[SECRET, SN_PASSWORD]);

    let spoke = report.spoke.as_ref().expect("the ServiceNow part");
    assert!(spoke.applied && spoke.verified && spoke.consent == Some(true));
    assert!(report.verified);
    assert!(report.result().is_ok());
    assert!(
        report.servicenow.is_none(),
        "no export: the records are applied"
    );
    assert_eq!(
        report.next,
        ["jira-spoke verify", "jira-spoke servicenow verify"],
        "everything else is done"
    );
    let text = report.to_string();
    assert!(
        text.contains(&format!(
            "ServiceNow {}: the Jira spoke's records are in place and verify passed.",
            sn.url()
        )),
        "{text}"
    );
    let apply = format!(
        "JIRA_SPOKE_SERVICENOW_USER=… JIRA_SPOKE_SERVICENOW_PASSWORD=… jira-spoke servicenow apply --instance {}",
        sn.url()
    );
    assert!(
        text.contains(&format!(
            "The same set-up without prompts (CI, scripts):\n  {}\n  {apply}",
            report.ci_command
        )),
        "the ServiceNow records are part of the same set-up: {text}"
    );
    assert_no_secrets(&[("report", &text)], &[SECRET, SN_PASSWORD]);
    let stored = ConfigFile::new(env.config_dir()).load().unwrap();
    let c = stored.connection("default").unwrap();
    assert_eq!(c.redirect_uri.as_ref().unwrap().as_str(), callback);
    assert!(c.secrets.refresh_token.is_none() && c.token.is_none());
    assert!(
        fake.requests_to("/authorize").is_empty(),
        "no browser flow here"
    );
    assert_eq!(sn.rows("oauth_credential").len(), 1);
    assert_eq!(
        sn.secret_of(
            "oauth_entity",
            &sn.rows("oauth_entity")[0]["sys_id"],
            "client_secret"
        )
        .as_deref(),
        Some(SECRET)
    );
}

#[test]
fn a_servicenow_client_credentials_set_up_asks_the_instance_and_admin_and_verifies_both_sides() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    let (result, prompter) = std::thread::scope(|scope| {
        scope.spawn(|| give_consent_when_asked(&sn));
        run(
            &env,
            &fake,
            false,
            vec![
                input(&fake.url()),
                Answer::Select(0),
                Answer::Confirm(true),
                Answer::MultiSelect((0..13).collect()),
                input(""),
                input("spoke-client-id"),
                Answer::Secret(SECRET.into()),
                Answer::Confirm(true),
                input(&sn.url()),
                input(SN_USER),
                Answer::Secret("not-the-secret".into()),
                Answer::Confirm(true),
                Answer::Default, // the user refused a moment ago, offered again
                Answer::Secret(SN_PASSWORD.into()),
            ],
        )
    });
    let report = result.unwrap().expect("a finished set-up");
    assert!(prompter.is_done(), "{:?}", prompter.asked);
    assert_eq!(
        prompter.asked[7..],
        [
            "Create the Jira spoke's records on your ServiceNow instance now? (No: jira-spoke lists what to type in ServiceNow's forms)",
            "ServiceNow instance (the name before .service-now.com)",
            "ServiceNow admin user",
            "ServiceNow admin password",
            "Enter the ServiceNow user and password again?",
            "ServiceNow admin user",
            "ServiceNow admin password",
        ]
    );
    let notes = prompter.notes.join("\n");
    assert!(
        notes.contains("refused basic auth for `admin` (HTTP 401)"),
        "{notes}"
    );
    assert!(
        notes.contains("Created 30 and updated 0 records"),
        "{notes}"
    );
    assert!(
        notes.contains(
            "✓ ServiceNow holds an access token for `Jira Client Credentials cred (default) for 1324a887`"
        ),
        "\"Get OAuth Token\" proves the stored secret: {notes}"
    );
    assert!(notes.contains("All 8 checks passed."), "{notes}");
    assert!(notes.contains("All 10 checks passed."), "{notes}");
    assert_no_secrets(
        &[("notes", &notes)],
        &[SECRET, SN_PASSWORD, "not-the-secret"],
    );
    let spoke = report.spoke.as_ref().unwrap();
    assert!(spoke.applied && spoke.verified && spoke.consent == Some(true));
    assert!(report.result().is_ok());
    assert_eq!(
        report.next,
        [
            "jira-spoke verify",
            "jira-spoke token",
            "jira-spoke servicenow verify",
        ],
        "the connection remembers its instance"
    );
    assert_eq!(sn.rows("http_connection").len(), 1);
}

#[test]
fn a_servicenow_failure_is_told_and_decides_the_exit_code() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    sn.configure(|s| s.consent_works = false);
    let env = TestEnv::new();
    let keyring = MemoryStore::new();
    let (result, prompter) = run_full(
        &env,
        &fake,
        &keyring,
        sn_env(&sn),
        1,
        vec![
            input(&fake.url()),
            Answer::Select(1),
            Answer::Confirm(true),
            input(&sn.url()),
            Answer::MultiSelect((0..13).collect()),
            input(""),
            input("spoke-client-id"),
            Answer::Secret(SECRET.into()),
            Answer::Confirm(true),
        ],
    );
    let report = result.unwrap().expect("a finished set-up");
    let notes = prompter.notes.join("\n");
    assert!(
        notes.contains("no refresh token reached ServiceNow"),
        "{notes}"
    );
    assert!(
        notes.contains(&format!(
            "callback URL is not exactly {}/oauth_redirect.do",
            sn.url()
        )),
        "{notes}"
    );
    assert!(notes.contains("✗ token      no refresh token"), "{notes}");
    let spoke = report.spoke.as_ref().unwrap();
    assert!(spoke.applied && !spoke.verified && spoke.consent == Some(false));
    assert!(report.verified, "the Atlassian side is fine");
    assert_eq!(report.result().unwrap_err().kind().exit_code(), 5);
    assert_eq!(
        report.next[1..],
        [
            "jira-spoke servicenow consent",
            "jira-spoke servicenow verify"
        ],
        "what is left to do"
    );
    assert!(
        report
            .to_string()
            .contains("verify found problems (see above)"),
        "{report}"
    );
}

#[test]
fn repairing_a_connection_whose_consent_is_in_servicenow_keeps_it_so_and_offers_the_records_again()
{
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    let keyring = MemoryStore::new();
    let declined = format!(
        "Create the Jira spoke's records on {} now? (No: jira-spoke lists what to type in ServiceNow's forms)",
        sn.url()
    );
    let first = vec![
        input(&fake.url()),
        Answer::Select(1),
        Answer::Confirm(true),
        input(&sn.url()),
        Answer::MultiSelect((0..13).collect()),
        input(""),
        input("spoke-client-id"),
        Answer::Secret(SECRET.into()),
        Answer::Confirm(false),
    ];
    let (result, _) = run_with(&env, &fake, &keyring, first);
    let report = result.unwrap().unwrap();
    assert!(report.verified, "consent in ServiceNow is no failure");
    let export = report.to_string();
    assert!(
        export.contains(&format!("{}/oauth_redirect.do", sn.url())),
        "the export names the instance's callback: {export}"
    );

    let (result, prompter) = run_with(
        &env,
        &fake,
        &keyring,
        vec![
            Answer::Select(0),
            Answer::Secret(SECRET.into()),
            Answer::Confirm(false),
        ],
    );
    let report = result.unwrap().unwrap();
    assert!(prompter.is_done(), "{:?}", prompter.asked);
    assert_eq!(prompter.asked[1..], ["Client secret".to_owned(), declined]);
    assert!(report.verified);
    assert!(
        fake.requests_to("/authorize").is_empty(),
        "never a browser flow"
    );
    let stored = ConfigFile::new(env.config_dir()).load().unwrap();
    let c = stored.connection("default").unwrap();
    assert!(c.secrets.refresh_token.is_none());
    assert!(
        sn.requests().is_empty(),
        "declined: nothing asked of the instance"
    );
}
