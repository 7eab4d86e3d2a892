//! [`Identity`]: who a credential acts as, as every report shows it.

/// Who a credential acts as, as reports show it (snake_case JSON).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Identity {
    pub display_name: Option<String>,
    pub account_type: Option<String>,
    pub email_address: Option<String>,
    pub account_id: String,
}

impl From<&crate::atlassian::jira::Myself> for Identity {
    fn from(me: &crate::atlassian::jira::Myself) -> Self {
        Identity {
            display_name: me.display_name.clone(),
            account_type: me.account_type.clone(),
            email_address: me.email_address.clone(),
            account_id: me.account_id.clone(),
        }
    }
}

impl std::fmt::Display for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let who = self.display_name.as_deref().unwrap_or(&self.account_id);
        // Jira's `accountType`, in words: a service account is an `app`.
        let kind = match self.account_type.as_deref() {
            Some("atlassian") => "Atlassian account",
            Some("app") => "service account",
            Some("customer") => "Jira Service Management customer",
            Some(other) => other,
            None => "account",
        };
        match &self.email_address {
            Some(email) => write!(f, "{who} <{email}> ({kind})"),
            None => write!(f, "{who} ({kind})"),
        }
    }
}
