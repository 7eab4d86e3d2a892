//! What `setup` has kept at each stage once the connection is stored, told
//! on Ctrl-C ([`crate::output::Printer::on_interrupt`]) with the one command
//! that goes on from there. Before the connection is stored nothing is kept,
//! and Ctrl-C says only "interrupted".

use crate::flows::servicenow::Target;
use crate::output::Kept;
use crate::servicenow::Instance;
use crate::settings::Settings;
use crate::store::Connection;

/// "connection `NAME` is saved in CONFIG, its secrets in STORE".
fn saved(settings: &Settings, name: &str, c: &Connection) -> String {
    format!(
        "connection `{name}` is saved in {}, its secrets in {}",
        settings.config.path().display(),
        c.store.described()
    )
}

/// `jira-spoke [-c NAME] `.
fn program(name: &str) -> String {
    if name == "default" {
        "jira-spoke".to_owned()
    } else {
        format!("jira-spoke -c {name}")
    }
}

/// The Atlassian half is stored and nothing is on ServiceNow yet; `spoke`
/// is `Some` for a Jira spoke, with the instance once it is known.
pub(super) fn jira_half(
    settings: &Settings,
    name: &str,
    c: &Connection,
    spoke: Option<Option<&Instance>>,
) -> Kept {
    let saved = saved(settings, name, c);
    match spoke {
        None => Kept {
            what: format!("{saved}; only its checks were left"),
            resume: format!("{} verify", program(name)),
        },
        Some(instance) => Kept {
            what: format!("{saved}; nothing is written to ServiceNow yet"),
            resume: match instance {
                Some(i) => format!("{} servicenow apply --instance {}", program(name), i.arg()),
                // NOTE: at a terminal, where setup ran, `servicenow apply`
                // asks for the instance it was not given.
                None => format!("{} servicenow apply", program(name)),
            },
        },
    }
}

/// The records are being written: some may be on the instance already.
pub(super) fn applying(settings: &Settings, target: &Target) -> Kept {
    Kept {
        what: format!(
            "{}; the Jira spoke's records on {} may be half-written, and `servicenow apply` completes \
             a partial run",
            saved(settings, &target.name, &target.connection),
            target.instance()
        ),
        resume: target.suggest("apply"),
    }
}

/// Every record is on the instance; ServiceNow's token is what is left.
pub(super) fn consenting(settings: &Settings, target: &Target) -> Kept {
    Kept {
        what: format!(
            "{}; all the Jira spoke's records are on {}, only \"Get OAuth Token\" was left",
            saved(settings, &target.name, &target.connection),
            target.instance()
        ),
        resume: target.suggest("consent"),
    }
}

/// Both halves are done; only the checks were left.
pub(super) fn verifying(settings: &Settings, target: &Target) -> Kept {
    Kept {
        what: format!(
            "{}; the Jira spoke's records are on {}, only the checks were left",
            saved(settings, &target.name, &target.connection),
            target.instance()
        ),
        resume: target.suggest("verify"),
    }
}
