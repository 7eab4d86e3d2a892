//! The ServiceNow forms, field by field, as the seed procedures ("Set up the
//! Jira spoke for Jira Cloud", Washingtondc and Australia releases) fill them.

use super::{ExportReport, Field, Form};
use crate::atlassian::scopes::{self, ScopeFamily};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::store::{Connection, Grant, SecretStore, StoreKind};

/// Secrets for `--reveal`.
pub struct Revealed {
    pub client_secret: Option<Secret>,
    pub api_token: Option<Secret>,
}

/// Reads the secrets the forms need from the connection's store.
pub fn read_secrets(store: &dyn SecretStore, name: &str, c: &Connection) -> Result<Revealed> {
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

/// `acme` or `acme.service-now.com` → `acme.service-now.com`.
pub fn instance_host(input: &str) -> Result<String> {
    let host = input
        .trim()
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .to_ascii_lowercase();
    let name = host.strip_suffix(".service-now.com").unwrap_or(&host);
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(format!("{name}.service-now.com"))
    } else {
        Err(Error::usage(
            format!("`{input}` is not a ServiceNow instance name"),
            "give the name before .service-now.com, e.g. `--instance acme`",
        ))
    }
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
        None => format!("<from your {store}: run with --reveal --out FILE>"),
    }
}

/// The export for `c`; secrets only when `revealed` is given.
pub fn export(
    name: &str,
    c: &Connection,
    instance: Option<&str>,
    revealed: Option<&Revealed>,
) -> ExportReport {
    let store = match c.store {
        StoreKind::Keyring => "keyring",
        StoreKind::File => "file store",
    };
    let (forms, notes) = match c.grant {
        Grant::ApiToken => {
            api_token_forms(name, c, revealed.and_then(|r| r.api_token.as_ref()), store)
        }
        _ => oauth_forms(
            name,
            c,
            instance,
            revealed.and_then(|r| r.client_secret.as_ref()),
            store,
        ),
    };
    ExportReport {
        target: "servicenow",
        connection: name.to_owned(),
        grant: c.grant.to_string(),
        forms,
        notes,
    }
}

fn oauth_forms(
    name: &str,
    c: &Connection,
    instance: Option<&str>,
    secret: Option<&Secret>,
    store: &str,
) -> (Vec<Form>, Vec<String>) {
    let three_lo = c.grant == Grant::AuthorizationCode;
    let grant = if three_lo {
        "Authorization Code"
    } else {
        "Client Credentials"
    };
    let registry = format!("Jira {grant} OAuth ({name})");
    let credential = format!("Jira {grant} cred ({name})");
    let redirect = format!(
        "https://{}/oauth_redirect.do",
        instance.unwrap_or("<instance>.service-now.com")
    );
    let oauth = c
        .oauth
        .clone()
        .unwrap_or_else(|| crate::atlassian::Endpoints::default().oauth());
    let mut registry_fields = vec![
        field("Name", registry.clone()),
        field("Client ID", c.client_id.clone().unwrap_or_default()),
        field("Client Secret", secret_value(secret, store)),
        field("Default Grant type", grant),
    ];
    if three_lo {
        registry_fields.push(field("Authorization URL", oauth.authorize_url.as_str()));
    }
    registry_fields.push(field("Token URL", oauth.token_url.as_str()));
    if three_lo {
        registry_fields.push(field("Refresh Token URL", oauth.refresh_url.as_str()));
    }
    registry_fields.push(field("Token Revocation URL", oauth.revocation_url.as_str()));
    if three_lo {
        registry_fields.push(field("Redirect URL", redirect.clone()));
    }
    registry_fields.push(field("Active", "true"));

    let list = spoke_scopes(c, three_lo);
    let scope_rows: Vec<Field> = [
        ScopeFamily::Classic,
        ScopeFamily::Granular,
        ScopeFamily::Special,
    ]
    .into_iter()
    .flat_map(|family| list.iter().filter(move |s| scopes::family(s) == family))
    .map(|s| field(s, s.clone()))
    .collect();
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
                field("OAuth Entity Profile Scopes", list.join(" ")),
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
            fields: vec![
                field("Name", format!("Jira cloud OAuth Connection ({name})")),
                field("Credential", credential),
                field("Connection URL", c.connection_url.as_str().trim_end_matches('/')),
                field("Attribute api_version", "2"),
                field("Attribute server_type", "cloud"),
            ],
        },
    ];
    let mut notes = Vec::new();
    if three_lo {
        notes.push(format!(
            "register {redirect} as the Callback URL of the app in the developer console \
             (an app has one callback URL; check the client with `jira-spoke check-app`)"
        ));
        if instance.is_none() {
            notes.push("pass --instance NAME to fill in the Redirect URL".into());
        }
    }
    (forms, notes)
}

/// The scopes to enter: the connection's, else the spoke's defaults.
fn spoke_scopes(c: &Connection, three_lo: bool) -> Vec<String> {
    let mut list = if c.scopes.is_empty() {
        scopes::default_scopes(three_lo)
    } else {
        c.scopes.clone()
    };
    if !three_lo {
        list.retain(|s| s != scopes::OFFLINE_ACCESS);
    }
    list
}

fn api_token_forms(
    name: &str,
    c: &Connection,
    token: Option<&Secret>,
    store: &str,
) -> (Vec<Form>, Vec<String>) {
    let forms = vec![Form {
        form: "Connection (basic auth)".into(),
        path: "All > Process Automation > Workflow Studio > Integrations > Connections > Jira > View Details > Configure"
            .into(),
        fields: vec![
            field("Connection Name", format!("Jira spoke cloud basic conn ({name})")),
            field("Connection URL", c.connection_url.as_str().trim_end_matches('/')),
            field("Server Type", "cloud"),
            field("User name", c.email.clone().unwrap_or_default()),
            field("API Key", secret_value(token, store)),
        ],
    }];
    let notes = vec![
        "Atlassian asks integrations to prefer OAuth; ServiceNow's Australia release documents OAuth only".into(),
    ];
    (forms, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_names_become_service_now_hosts() {
        assert_eq!(instance_host("acme").unwrap(), "acme.service-now.com");
        assert_eq!(
            instance_host("https://ACME.service-now.com/").unwrap(),
            "acme.service-now.com"
        );
        assert!(instance_host("acme corp").is_err());
        assert!(instance_host("").is_err());
    }
}
