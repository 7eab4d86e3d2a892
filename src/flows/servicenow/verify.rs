//! Verifying the ServiceNow side: reads the spoke's records back and judges
//! them, one check per concern, every check run. The records are judged from
//! the same walk `apply --dry-run` plans with, so verify fails exactly when
//! apply would change something, and says what. The report is plain text;
//! its ✓ and ✗ get their colour where all colour is decided, in
//! [`crate::output`].

use std::fmt;

use serde::Serialize;

use super::{Target, how_flows_choose};
use crate::error::{Error, ErrorKind};
use crate::flows::connect::consent_in_servicenow;
use crate::flows::verify::Check;
use crate::servicenow::dictionary::{self, Schema};
use crate::servicenow::plan::{Action, Change, Step};
use crate::servicenow::reconcile::{Mode, Outcome, reconcile};
use crate::servicenow::records::{ALIAS_ID, table};
use crate::servicenow::tokens::{RegistryTokens, proof_type, registry_tokens};
use crate::store::Grant;
use crate::time::{human_duration, now_unix};
use crate::ui::spinner::Spinner;

/// Everything `servicenow verify` found.
#[derive(Debug, Serialize)]
pub(crate) struct ServicenowVerifyReport {
    pub connection: String,
    pub instance: String,
    pub ok: bool,
    pub checks: Vec<Check>,
}

/// Reads the records back and checks them; never fails, every problem is a
/// failed check.
pub(crate) async fn verify(target: &Target, spin: bool) -> ServicenowVerifyReport {
    let checks = {
        let _s = Spinner::start(format!("Checking {}", target.instance()), spin);
        checks(target).await
    };
    ServicenowVerifyReport {
        connection: target.name.clone(),
        instance: target.instance().url(),
        ok: checks.iter().all(|c| c.ok),
        checks,
    }
}

impl ServicenowVerifyReport {
    /// The kind of the first failed check, which decides the exit code.
    pub(crate) fn first_failure(&self) -> Option<ErrorKind> {
        self.checks
            .iter()
            .find(|c| !c.ok)
            .map(|c| c.kind.unwrap_or(ErrorKind::Unexpected))
    }
}

async fn checks(target: &Target) -> Vec<Check> {
    let api = &target.api;
    let mut checks = Vec::new();
    // NOTE: independent reads, sent together; the tokens are read by the
    // registry's name, before its credential is known.
    let kind = proof_type(target.connection.grant);
    let names = target.wanted.registry_names();
    let (schema, records, tokens) = tokio::join!(
        dictionary::check(api, target.connection.grant),
        reconcile(api, &target.wanted, Mode::DryRun, None),
        async {
            match names.is_empty() {
                true => Ok(RegistryTokens::default()),
                false => registry_tokens(api, &names, kind).await,
            }
        }
    );
    let schema = match schema {
        Ok(schema) => schema,
        Err(e) => return vec![Check::from_error("instance", &e)],
    };
    checks.push(Check::pass(
        "instance",
        match api.sign_in().user() {
            Some(user) => format!(
                "signed in to {} as `{user}` ({})",
                target.instance(),
                api.sign_in().via()
            ),
            None => format!(
                "signed in to {} with {}",
                target.instance(),
                api.sign_in().via()
            ),
        },
    ));
    checks.push(match schema {
        Schema::Complete { skipped, .. } if skipped.is_empty() => Check::pass(
            "schema",
            "every table, column and choice value jira-spoke writes exists",
        ),
        Schema::Complete { skipped, .. } => Check::pass(
            "schema",
            format!(
                "every table, column and choice value jira-spoke needs exists (optional, absent: {})",
                skipped.join(", ")
            ),
        ),
        Schema::Unreadable(why) => Check::pass("schema", format!("not checked: {why}")),
        Schema::Missing(missing) => {
            let err = Error::ServiceNowLacks {
                instance: target.instance().url(),
                missing,
            };
            Check::from_error("schema", &err)
        }
    });
    let outcome = match records {
        Ok(outcome) => outcome,
        Err(e) => {
            checks.push(Check::from_error("records", &e));
            return checks;
        }
    };
    let judge = Judge {
        target,
        outcome: &outcome,
    };
    checks.push(judge.alias());
    if target.wanted.registry.is_some() {
        checks.push(judge.registry());
        checks.push(judge.grant_type());
        checks.push(judge.scopes());
    }
    checks.push(judge.credential());
    checks.push(judge.connection());
    if !outcome.duplicates.is_empty() {
        checks.push(Check::fail(
            "duplicates",
            ErrorKind::NotFound,
            outcome.duplicates.join("; "),
            Some(
                "two applies ran at once (on two machines): delete all but the oldest of each in ServiceNow, \
                 then run `jira-spoke servicenow apply`"
                    .to_owned(),
            ),
        ));
    }
    checks.push(judge.attributes());
    checks.push(token(target, &outcome, tokens));
    checks
}

struct Judge<'a> {
    target: &'a Target,
    outcome: &'a Outcome,
}

impl Judge<'_> {
    fn steps(&self, table: &str) -> impl Iterator<Item = &Step> {
        self.outcome.steps.iter().filter(move |s| s.table == table)
    }

    fn step(&self, table: &str) -> Option<&Step> {
        self.steps(table).next()
    }

    fn fix(&self) -> Option<String> {
        Some(format!(
            "run `{}` to set it back",
            self.target.suggest("apply")
        ))
    }

    fn create(&self) -> Option<String> {
        Some(format!(
            "run `{}` to create it",
            self.target.suggest("apply")
        ))
    }

    fn fail(&self, name: &'static str, detail: String, hint: Option<String>) -> Check {
        Check::fail(name, ErrorKind::NotFound, detail, hint)
    }

    /// The changes of `step` but those in `skip`, described; "" when none.
    fn differences(&self, step: &Step, skip: &[&str]) -> String {
        step.changes
            .iter()
            .filter(|c| !c.secret && !skip.contains(&c.field.as_str()))
            .map(|c| self.describe(c))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn describe(&self, c: &Change) -> String {
        let new = &c.new;
        match (c.field.as_str(), c.old.as_deref()) {
            (field, None) => format!("{field} is absent (expected {new})"),
            (field, Some("")) => format!("{field} is empty (expected {new})"),
            ("connection_alias", Some(_)) => format!("it is under another alias, not {ALIAS_ID}"),
            ("credential", Some(_)) => format!(
                "it uses another credential, not `{}`",
                self.target.wanted.credential.name
            ),
            ("oauth_entity_profile", Some(_)) => {
                "it is on another profile, not the registry's default profile".to_owned()
            }
            ("connection_url", Some(old)) => match (cloud_id_of(old), cloud_id_of(new)) {
                (Some(a), Some(b)) if a != b => {
                    format!("connection_url has Cloud ID {a}, expected {b} ({new})")
                }
                _ => format!("connection_url is {old} (expected {new})"),
            },
            (field, Some(old)) => format!("{field} is {old} (expected {new})"),
        }
    }

    /// The alias chain: the spoke's alias exists; a child alias is one of
    /// it; the connection's alias has one active connection; and how flows
    /// reach this site.
    fn alias(&self) -> Check {
        let steps: Vec<&Step> = self.steps(table::ALIAS).collect();
        let spoke = steps.first();
        if !spoke.is_some_and(|s| s.action == Action::Unchanged) {
            return Check::from_error(
                "alias",
                &Error::ServiceNowAliasMissing {
                    instance: self.target.instance().url(),
                    alias: ALIAS_ID.to_owned(),
                },
            );
        }
        let alias = &self.outcome.alias;
        let step = if alias.child { steps.get(1) } else { spoke };
        let Some(step) = step else {
            return self.fail("alias", "not looked up".into(), None);
        };
        if step.action == Action::Create {
            return self.fail(
                "alias",
                format!("no child alias `{}` of {ALIAS_ID} yet", alias.name),
                self.create(),
            );
        }
        if let Some(note) = &step.note
            && alias.child
        {
            return self.fail("alias", format!("{}: {note}", alias.name), None);
        }
        let link = step.link.clone().unwrap_or_default();
        Check::pass(
            "alias",
            format!("{} ({link}); {}", alias.name, how_flows_choose(alias)),
        )
    }

    fn registry(&self) -> Check {
        let Some(step) = self.step(table::REGISTRY) else {
            return self.fail("registry", "not looked up".into(), None);
        };
        let r = self.target.wanted.registry.as_ref();
        let name = r.map(|r| r.name.as_str()).unwrap_or_default();
        if step.action == Action::Create {
            return self.fail(
                "registry",
                format!("no Application Registry named `{name}`"),
                self.create(),
            );
        }
        let mut wrong = self.differences(step, &["default_grant_type"]);
        if let Some(callback) = self.foreign_callback() {
            if !wrong.is_empty() {
                wrong.push_str("; ");
            }
            wrong.push_str(&callback);
        }
        if wrong.is_empty() {
            Check::pass(
                "registry",
                format!(
                    "`{name}` is active with client ID {} and the stored URLs",
                    r.map(|r| r.client_id.as_str()).unwrap_or_default()
                ),
            )
        } else {
            self.fail("registry", format!("`{name}`: {wrong}"), self.fix())
        }
    }

    /// The Atlassian app's callback, stored with a connection whose consent
    /// happens in ServiceNow, when it is not where this instance receives
    /// codes: consent here cannot work.
    fn foreign_callback(&self) -> Option<String> {
        let connection = &self.target.connection;
        let stored = connection
            .redirect_uri
            .as_ref()
            .filter(|_| consent_in_servicenow::applies(connection))?;
        let here = self.target.instance().redirect_url();
        (stored.as_str() != here).then(|| {
            format!(
                "the Atlassian app's callback (stored with connection `{}`) is {stored}, but this instance \
                 receives codes at {here}",
                self.target.name
            )
        })
    }

    fn grant_type(&self) -> Check {
        let grant = self
            .target
            .wanted
            .registry
            .as_ref()
            .map(|r| r.grant.value)
            .unwrap_or_default();
        let registry = self.step(table::REGISTRY);
        if registry.is_some_and(|s| s.action == Action::Create) {
            return self.fail(
                "grant_type",
                "no Application Registry yet".into(),
                self.create(),
            );
        }
        let mut wrong = Vec::new();
        if let Some(c) = registry
            .into_iter()
            .flat_map(|s| &s.changes)
            .find(|c| c.field == "default_grant_type")
        {
            wrong.push(format!("the registry's {}", self.describe(c)));
        }
        match self.step(table::PROFILE) {
            Some(s) if s.action == Action::Create => {
                wrong.push("the registry has no default profile".to_owned())
            }
            Some(s) => {
                if let Some(c) = s.changes.iter().find(|c| c.field == "grant_type") {
                    wrong.push(format!(
                        "the default profile `{}`'s {}",
                        s.key,
                        self.describe(c)
                    ));
                }
            }
            None => {}
        }
        if wrong.is_empty() {
            Check::pass(
                "grant_type",
                format!("the registry and its default profile both use {grant}"),
            )
        } else {
            self.fail("grant_type", wrong.join("; "), self.fix())
        }
    }

    fn scopes(&self) -> Check {
        if self
            .step(table::REGISTRY)
            .is_some_and(|s| s.action == Action::Create)
        {
            return self.fail(
                "scopes",
                "no Application Registry yet".into(),
                self.create(),
            );
        }
        let missing = |table| {
            self.steps(table)
                .filter(|s| s.action != Action::Unchanged)
                .map(|s| s.key.clone())
                .collect::<Vec<_>>()
        };
        let (registry, profile) = (missing(table::SCOPE), missing(table::PROFILE_SCOPE));
        let count = self.steps(table::SCOPE).count();
        if registry.is_empty() && profile.is_empty() {
            return Check::pass(
                "scopes",
                format!("all {count} scopes are in the registry and its default profile"),
            );
        }
        let mut detail = Vec::new();
        if !registry.is_empty() {
            detail.push(format!(
                "missing from the registry: {}",
                registry.join(", ")
            ));
        }
        if !profile.is_empty() {
            detail.push(format!(
                "missing from the default profile: {}",
                profile.join(", ")
            ));
        }
        self.fail("scopes", detail.join("; "), self.fix())
    }

    fn credential(&self) -> Check {
        let c = &self.target.wanted.credential;
        let Some(step) = self.step(c.table) else {
            return self.fail("credential", "not looked up".into(), None);
        };
        if step.action == Action::Create {
            return self.fail(
                "credential",
                format!("no credential named `{}`", c.name),
                self.create(),
            );
        }
        let wrong = self.differences(step, &[]);
        if !wrong.is_empty() {
            return self.fail("credential", format!("`{}`: {wrong}", c.name), self.fix());
        }
        let detail = match &c.user_name {
            Some(user) => format!("`{}` signs in as {user}", c.name),
            None => format!("`{}` is active on the registry's default profile", c.name),
        };
        Check::pass("credential", detail)
    }

    fn connection(&self) -> Check {
        let c = &self.target.wanted.connection;
        let Some(step) = self.step(table::CONNECTION) else {
            return self.fail("connection", "not looked up".into(), None);
        };
        if step.action == Action::Create {
            return self.fail(
                "connection",
                format!("no HTTP(s) connection named `{}` under {ALIAS_ID}", c.name),
                self.create(),
            );
        }
        let mut wrong = vec![self.differences(step, &["extended_attributes"])];
        wrong.retain(|w| !w.is_empty());
        if !self.outcome.conflicts.is_empty() {
            wrong.push(format!(
                "another connection is active on the alias: {}",
                self.outcome.conflicts.join(", ")
            ));
        }
        if wrong.is_empty() {
            Check::pass(
                "connection",
                format!("`{}` is active under {ALIAS_ID} on {}", c.name, c.url),
            )
        } else {
            let hint = if self.outcome.conflicts.is_empty() {
                self.fix()
            } else {
                Error::ServiceNowConflict {
                    instance: String::new(),
                    alias: String::new(),
                    others: vec![],
                }
                .hint()
            };
            self.fail(
                "connection",
                format!("`{}`: {}", c.name, wrong.join("; ")),
                hint,
            )
        }
    }

    /// Advisory: the spoke's defaults for Jira Cloud are what the
    /// attributes would say, so their absence never fails.
    fn attributes(&self) -> Check {
        if self.outcome.warnings.is_empty() {
            Check::pass("attributes", "api_version=2, server_type=cloud")
        } else {
            Check::pass(
                "attributes",
                "not set as text on the instance: the spoke's defaults for Jira Cloud apply \
                 (API version 2, cloud)",
            )
        }
    }
}

/// Whether ServiceNow holds a usable token for the credential: a refresh
/// token that has not expired (authorization code), or an access token it
/// fetched itself with the stored client secret (client credentials: the
/// proof the secret works). Basic auth holds none.
fn token(
    target: &Target,
    outcome: &Outcome,
    tokens: crate::error::Result<RegistryTokens>,
) -> Check {
    let grant = target.connection.grant;
    if grant == Grant::ApiToken {
        return Check::pass(
            "token",
            "none needed: the connection signs in with the API token (basic auth)",
        );
    }
    let consent = Some(match grant {
        Grant::AuthorizationCode => format!(
            "run `{}` and choose Accept; the Atlassian app's callback URL must be {}",
            target.suggest("consent"),
            target.instance().redirect_url()
        ),
        _ => format!(
            "run `{}`: ServiceNow's \"Get OAuth Token\" proves the client secret it stored",
            target.suggest("consent")
        ),
    });
    let (Some(credential), Some(profile)) = (&outcome.ids.credential, &outcome.ids.profile) else {
        return Check::fail(
            "token",
            ErrorKind::Auth,
            "no credential on a default profile yet",
            None,
        );
    };
    let tokens = match tokens {
        Ok(t) => t.of(credential, profile),
        Err(e) => return Check::from_error("token", &e),
    };
    let now = now_unix();
    let valid = tokens
        .iter()
        .filter(|t| t.valid(now))
        .max_by_key(|t| t.expires);
    let name = &target.wanted.credential.name;
    match (grant, valid) {
        (Grant::ClientCredentials, Some(_)) => Check::pass(
            "token",
            "ServiceNow holds an access token it fetched with the stored client secret",
        ),
        (Grant::ClientCredentials, None) if !tokens.is_empty() => Check::pass(
            "token",
            "ServiceNow fetched an access token with the stored client secret (expired since; it fetches \
             a new one when the spoke next calls Jira)",
        ),
        (Grant::ClientCredentials, None) => Check::fail(
            "token",
            ErrorKind::Auth,
            format!(
                "ServiceNow holds no token for `{name}`: the client secret it stored is not proven"
            ),
            consent,
        ),
        (_, Some(t)) => Check::pass(
            "token",
            match t.expires {
                Some(e) => format!(
                    "ServiceNow holds a refresh token, valid for {} more",
                    human_duration(e - now)
                ),
                None => "ServiceNow holds a refresh token (no expiry recorded)".to_owned(),
            },
        ),
        (_, None) if tokens.is_empty() => Check::fail(
            "token",
            ErrorKind::Auth,
            format!("no refresh token for `{name}`: consent was never given"),
            consent,
        ),
        (_, None) => Check::fail(
            "token",
            ErrorKind::Auth,
            format!("the refresh token ServiceNow holds for `{name}` has expired: consent again"),
            consent,
        ),
    }
}

/// The Cloud ID in a `…/ex/jira/<cloud-id>` URL.
fn cloud_id_of(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("/ex/jira/")?;
    rest.split('/').next().filter(|s| !s.is_empty())
}

impl fmt::Display for ServicenowVerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "ServiceNow {} — connection `{}`",
            self.instance, self.connection
        )?;
        for check in &self.checks {
            let mark = if check.ok { "✓" } else { "✗" };
            writeln!(f, "  {mark} {:<10} {}", check.name, check.detail)?;
            if let Some(hint) = check.hint.as_ref().filter(|_| !check.ok) {
                writeln!(f, "    hint: {hint}")?;
            }
        }
        let failed = self.checks.iter().filter(|c| !c.ok).count();
        if failed == 0 {
            write!(f, "All {} checks passed.", self.checks.len())
        } else {
            write!(f, "{failed} of {} checks failed.", self.checks.len())
        }
    }
}
