//! The setup wizard of a ServiceNow Jira spoke, driven through the library
//! with a scripted prompter against the fake Atlassian and the fake
//! ServiceNow instance: the instance and admin asked, consent in ServiceNow,
//! both sides verified, a failure on the instance told, a repair that offers
//! the records again.

use std::time::Duration;

use crate::support::servicenow_fake::{SN_PASSWORD, SN_USER};
use crate::support::{FakeAtlassian, FakeServiceNow, TestEnv, assert_no_secrets};
use jira_spoke::secret::Secret;
use jira_spoke::settings::ServiceNowEnv;
use jira_spoke::store::{ConfigFile, MemoryStore};
use jira_spoke::ui::prompt::Answer;

use crate::setup_journey::{SECRET, input, run, run_full, run_with};

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
