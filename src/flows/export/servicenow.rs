//! The ServiceNow forms, field by field, as the seed procedures ("Set up the
//! Jira spoke for Jira Cloud", Washingtondc and Australia releases) fill them.
//! What goes in each field comes from [`crate::servicenow::records`], which
//! `servicenow apply` writes through the Table API; this module only labels it.

use super::{ExportReport, Field, Form};
use crate::atlassian::scopes::{self, ScopeFamily};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::servicenow::Instance;
use crate::servicenow::records::{ATTRIBUTES, Wanted};
use crate::store::{Connection, Grant, SecretStore};

/// Secrets for `--reveal`.
pub(crate) struct Revealed {
    pub client_secret: Option<Secret>,
    pub api_token: Option<Secret>,
}

/// Reads the secrets the forms need from the connection's store.
pub(crate) fn read_secrets(
    store: &dyn SecretStore,
    name: &str,
    c: &Connection,
) -> Result<Revealed> {
    let read = |r: &Option<crate::store::SecretRef>, what: &str| -> Result<Option<Secret>> {
        match r {
            None => Ok(None),
            Some(r) => store.get(r)?.map(Some).ok_or_else(|| Error::SecretMissing {
                what: what.to_owned(),
                connection: name.to_owned(),
                store: c.store.to_string(),
            }),
        }
    };
    Ok(Revealed {
        client_secret: read(&c.secrets.client_secret, "client secret")?,
        api_token: read(&c.secrets.api_token, "API token")?,
    })
}

fn field(name: &str, value: impl Into<String>) -> Field {
    Field {
        name: name.to_owned(),
        value: value.into(),
    }
}

fn secret_value(secret: Option<&Secret>, store: &str) -> String {
    match secret {
        Some(s) => s.expose().to_owned(),
        None => format!("kept in {store}: run with --reveal --out FILE"),
    }
}

/// The command that makes these forms unnecessary, with the instance
/// given (a placeholder only when none was).
fn apply_note(name: &str, instance: Option<&Instance>) -> String {
    let connection = if name == "default" {
        String::new()
    } else {
        format!(" -c {name}")
    };
    let instance = instance.map_or_else(|| "INSTANCE".to_owned(), Instance::arg);
    format!(
        "or let jira-spoke create these records: `jira-spoke{connection} servicenow apply --instance {instance}`"
    )
}

/// The export for `c`; secrets only when `revealed` is given. `instance` is
/// the instance as the admin named it (checked by [`Instance::parse`]).
pub(crate) fn export(
    name: &str,
    c: &Connection,
    instance: Option<&str>,
    revealed: Option<&Revealed>,
) -> ExportReport {
    let instance = instance.and_then(|i| Instance::parse(i).ok());
    let instance = instance.as_ref();
    let store = c.store.described();
    let wanted = Wanted::of(name, c);
    let (forms, mut notes) = match c.grant {
        Grant::ApiToken => {
            api_token_forms(&wanted, revealed.and_then(|r| r.api_token.as_ref()), store)
        }
        Grant::ClientCredentials | Grant::AuthorizationCode => oauth_forms(
            &wanted,
            instance,
            revealed.and_then(|r| r.client_secret.as_ref()),
            store,
        ),
    };
    notes.push(apply_note(name, instance));
    ExportReport {
        target: "servicenow",
        connection: name.to_owned(),
        grant: c.grant.to_string(),
        forms,
        notes,
    }
}

fn oauth_forms(
    wanted: &Wanted,
    instance: Option<&Instance>,
    secret: Option<&Secret>,
    store: &str,
) -> (Vec<Form>, Vec<String>) {
    let Some(r) = wanted.registry.as_ref() else {
        return (Vec::new(), Vec::new());
    };
    let three_lo = wanted.grant == Grant::AuthorizationCode;
    let grant = r.grant.label;
    let redirect = instance.map_or_else(
        || "https://INSTANCE.service-now.com/oauth_redirect.do".to_owned(),
        Instance::redirect_url,
    );
    let mut registry_fields = vec![
        field("Name", r.name.clone()),
        field("Client ID", r.client_id.clone()),
        field("Client Secret", secret_value(secret, store)),
        field("Default Grant type", grant),
    ];
    if let Some(url) = &r.auth_url {
        registry_fields.push(field("Authorization URL", url.clone()));
    }
    registry_fields.push(field("Token URL", r.token_url.clone()));
    if let Some(url) = &r.refresh_token_url {
        registry_fields.push(field("Refresh Token URL", url.clone()));
    }
    registry_fields.push(field("Token Revocation URL", r.revoke_token_url.clone()));
    if three_lo {
        registry_fields.push(field("Redirect URL", redirect.clone()));
    }
    registry_fields.push(field("Active", "true"));

    let scope_rows: Vec<Field> = [
        ScopeFamily::Classic,
        ScopeFamily::Granular,
        ScopeFamily::Special,
    ]
    .into_iter()
    .flat_map(|family| r.scopes.iter().filter(move |s| scopes::family(s) == family))
    .map(|s| field(s, s.clone()))
    .collect();
    let registry = &r.name;
    let credential = &wanted.credential.name;
    let attributes = ATTRIBUTES
        .iter()
        .map(|(k, v)| field(&format!("Attribute {k}"), *v));
    let forms = vec![
        Form {
            form: "Application Registry".into(),
            path: "All > System OAuth > Application Registry > New > Connect to a third party OAuth Provider".into(),
            fields: registry_fields,
        },
        Form {
            form: "OAuth Entity Scopes (one row per scope: Name, OAuth scope)".into(),
            path: format!("{registry} > OAuth Entity Scopes tab"),
            fields: scope_rows,
        },
        Form {
            form: "OAuth Entity Profile".into(),
            path: format!("{registry} > OAuth Entity Profiles tab > the default profile"),
            fields: vec![
                field("Grant type", grant),
                field("OAuth Entity Profile Scopes", r.scopes.join(" ")),
            ],
        },
        Form {
            form: "Credential (OAuth 2.0 Credentials)".into(),
            path: "All > Connections & Credentials > Credentials > New > OAuth 2.0 Credentials".into(),
            fields: vec![
                field("Name", credential.clone()),
                field("OAuth Entity Profile", format!("{registry} default profile")),
                field("Then", "Save, and click the Get OAuth Token related link"),
            ],
        },
        Form {
            form: "Connection (HTTP(s) Connection)".into(),
            path: "All > Connections & Credentials > Connection & Credential Aliases > Jira > Connections > New".into(),
            fields: [
                field("Name", wanted.connection.name.clone()),
                field("Credential", credential.clone()),
                field("Connection URL", wanted.connection.url.clone()),
            ]
            .into_iter()
            .chain(attributes)
            .collect(),
        },
    ];
    let mut notes = Vec::new();
    if three_lo {
        notes.push(format!(
            "register {redirect} as the Callback URL of the app in the developer console \
             (an app has one callback URL; check the client with `jira-spoke check-app`)"
        ));
        if instance.is_none() {
            notes.push("pass --instance INSTANCE to fill in the Redirect URL".into());
        }
    }
    (forms, notes)
}

fn api_token_forms(
    wanted: &Wanted,
    token: Option<&Secret>,
    store: &str,
) -> (Vec<Form>, Vec<String>) {
    let server_type = ATTRIBUTES
        .iter()
        .find(|(k, _)| *k == "server_type")
        .map_or("cloud", |(_, v)| *v);
    let forms = vec![Form {
        form: "Connection (basic auth)".into(),
        path: "All > Process Automation > Workflow Studio > Integrations > Connections > Jira > View Details > Configure"
            .into(),
        fields: vec![
            field("Connection Name", wanted.connection.name.clone()),
            field("Connection URL", wanted.connection.url.clone()),
            field("Server Type", server_type),
            field("User name", wanted.credential.user_name.clone().unwrap_or_default()),
            field("API Key", secret_value(token, store)),
        ],
    }];
    let notes = vec![
        "Atlassian asks integrations to prefer OAuth; ServiceNow's Australia release documents OAuth only".into(),
    ];
    (forms, notes)
}
