//! The setup wizard's logic, driven through the library with a scripted
//! prompter against the fake Atlassian (and, for a ServiceNow Jira spoke,
//! the fake ServiceNow instance): the questions asked, in order, and what
//! ends up stored, for every branch.

use std::time::Duration;

use crate::support::{FakeAtlassian, TestEnv};
use jira_spoke::atlassian::Endpoints;
use jira_spoke::cli::ColorChoice;
use jira_spoke::commands::setup::{Wizard, journey};
use jira_spoke::error::Error;
use jira_spoke::http::Http;
use jira_spoke::output::Printer;
use jira_spoke::settings::{ServiceNowEnv, Settings};
use jira_spoke::store::file::FileStore;
use jira_spoke::store::{ConfigFile, Grant, MemoryStore, SecretStore, StoreKind, Stores};
use jira_spoke::ui::prompt::{Answer, ScriptedPrompter};

pub(crate) const SECRET: &str = "spoke-client-secret-XYZ123";

pub(crate) fn settings(env: &TestEnv, fake: &FakeAtlassian, store: Option<StoreKind>) -> Settings {
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
pub(crate) fn run_with(
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
pub(crate) fn run_full(
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
