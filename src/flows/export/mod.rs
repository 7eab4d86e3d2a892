//! What each ServiceNow form needs for a stored connection, as a report of
//! forms and fields ([`ExportReport`]); secrets are placeholders unless they
//! are passed in.

pub(crate) mod servicenow;

use std::fmt;

use serde::Serialize;

/// One field of a form and what to put in it.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: String,
    pub value: String,
}

/// One form (or related list) to fill, in order.
#[derive(Debug, Clone, Serialize)]
pub struct Form {
    pub form: String,
    /// Where it is in the ServiceNow UI.
    pub path: String,
    pub fields: Vec<Field>,
}

/// The whole hand-off.
#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    pub target: &'static str,
    pub connection: String,
    pub grant: String,
    pub forms: Vec<Form>,
    pub notes: Vec<String>,
}

impl fmt::Display for ExportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "ServiceNow Jira spoke — connection `{}` ({})",
            self.connection, self.grant
        )?;
        for (i, form) in self.forms.iter().enumerate() {
            writeln!(f, "\n{}. {}\n   {}", i + 1, form.form, form.path)?;
            let width = form
                .fields
                .iter()
                .map(|x| x.name.chars().count())
                .max()
                .unwrap_or(0);
            for field in &form.fields {
                let pad = width - field.name.chars().count();
                writeln!(f, "   {}{}  {}", field.name, " ".repeat(pad), field.value)?;
            }
        }
        for note in &self.notes {
            write!(f, "\nNote: {note}")?;
        }
        Ok(())
    }
}
