//! The wizard's scope picker: a scope the Jira spoke needs is never dropped
//! without a word. For a Jira spoke the picker comes back, naming it; for
//! another connection leaving it out is a question that names it.

use crate::setup_journey::{SECRET, input, run};
use crate::support::{FakeAtlassian, TestEnv};
use jira_spoke::ui::prompt::Answer;

const PICKER: &str =
    "Scopes (space toggles, Enter accepts; the ServiceNow Jira spoke needs all of them)";

#[test]
fn unticking_a_scope_for_a_jira_spoke_asks_again_naming_it() {
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
            // manage:jira-configuration un-ticked, then all of them.
            Answer::MultiSelect((1..13).collect()),
            Answer::MultiSelect((0..13).collect()),
            input(""),
            input("spoke-client-id"),
            Answer::Secret(SECRET.into()),
            Answer::Confirm(false),
        ],
    );
    result.unwrap().expect("a finished set-up");
    assert_eq!(
        prompter.asked.iter().filter(|q| *q == PICKER).count(),
        2,
        "{:#?}",
        prompter.asked
    );
    assert!(
        prompter.notes.iter().any(|n| n
            == "✗ The ServiceNow Jira spoke needs classic: manage:jira-configuration: its actions \
                fail without them, so they stay ticked."),
        "{:#?}",
        prompter.notes
    );
    assert!(env.config_text().contains("\"manage:jira-configuration\""));
    assert!(prompter.is_done());
}

#[test]
fn unticking_a_scope_for_another_connection_is_a_question_naming_it() {
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
            Answer::MultiSelect((1..13).collect()),
            // Not after all: the picker again, then left out on purpose.
            Answer::Confirm(false),
            Answer::MultiSelect((1..13).collect()),
            Answer::Confirm(true),
            input(""),
            input("spoke-client-id"),
            Answer::Secret(SECRET.into()),
        ],
    );
    let report = result.unwrap().expect("a finished set-up");
    let question = "Leave out classic: manage:jira-configuration? A ServiceNow Jira spoke could not \
                    use this connection.";
    assert_eq!(
        prompter.asked.iter().filter(|q| *q == question).count(),
        2,
        "{:#?}",
        prompter.asked
    );
    assert!(!env.config_text().contains("\"manage:jira-configuration\""));
    assert!(report.verified, "{report}");
    assert!(prompter.is_done());
}
