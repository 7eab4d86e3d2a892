//! The Application Registry and what hangs off it: its default profile
//! (made by the instance), one scope row per scope, and their links to the
//! profile; read ahead with the walk's first lookups ([`Walk::prefetch`]).

use std::collections::BTreeSet;
use std::time::Duration;

use super::{
    Id, LINK_FIELDS, PROFILE, PROFILE_FIELDS, PROFILE_SCOPE, Prefetched, REGISTRY, SCOPE,
    SCOPE_FIELDS, Spec, Walk,
};
use crate::error::Result;
use crate::secret::Secret;
use crate::servicenow::client::{Query, Record, Tables};
use crate::servicenow::plan::{self, Action};
use crate::servicenow::records::{PROVIDER_TYPE, Registry, Wanted, table};

impl<T: Tables> Walk<'_, T> {
    /// The Application Registry, with the Redirect URL the form would
    /// fill: the instance's `oauth_redirect.do` (not auto-filled over REST).
    pub(super) async fn registry(
        &self,
        r: &Registry,
        secret: Option<&Secret>,
        found: Option<Record>,
    ) -> Result<Id> {
        let mut fields = vec![
            ("name", r.name.clone()),
            ("type", PROVIDER_TYPE.to_owned()),
            ("client_id", r.client_id.clone()),
            ("default_grant_type", r.grant.value.to_owned()),
        ];
        if let Some(url) = &r.auth_url {
            fields.push(("auth_url", url.clone()));
        }
        fields.push(("token_url", r.token_url.clone()));
        if let Some(url) = &r.refresh_token_url {
            fields.push(("refresh_token_url", url.clone()));
        }
        fields.push(("revoke_token_url", r.revoke_token_url.clone()));
        fields.push(("redirect_url", self.api.instance().redirect_url()));
        fields.push(("active", "true".to_owned()));
        let spec = Spec {
            record: REGISTRY,
            table: table::REGISTRY,
            key: r.name.clone(),
            fields,
            create_only: vec![],
            secret: Some(("client_secret", secret)),
            note: None,
        };
        self.ensure(spec, found).await
    }

    /// The registry's default profile: ServiceNow creates it with the
    /// registry, so it is found (created only if it is gone), and its grant
    /// type is set to the registry's.
    pub(super) async fn profile(&self, r: &Registry, entity: &Id) -> Result<Id> {
        let mut found = None;
        let mut auto = false;
        if let Id::Known(entity_id) = entity {
            let fresh = self
                .log()
                .steps
                .iter()
                .any(|s| s.table == table::REGISTRY && s.action == Action::Create);
            // NOTE: the instance makes the default profile in a business rule on
            // insert; allow it a moment before concluding it is missing.
            let tries = if fresh { 4 } else { 1 };
            if let Some(p) = self.prefetched.as_ref().filter(|_| !fresh) {
                found = p
                    .of(&p.profiles, "oauth_entity", entity_id)
                    .into_iter()
                    .next();
            }
            for attempt in 0..tries {
                if found.is_some() || (attempt == 0 && !fresh && self.prefetched.is_some()) {
                    break;
                }
                if attempt > 0 {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                // NOTE: asked again each try, never answered from `reads`.
                found = self
                    .api
                    .find(
                        table::PROFILE,
                        &Query::eq("oauth_entity", entity_id).and("default", "true"),
                        PROFILE_FIELDS,
                    )
                    .await?
                    .into_iter()
                    .next();
                if found.is_some() {
                    auto = fresh;
                    break;
                }
            }
        }
        let planned_auto = entity.known().is_none();
        let note = if auto || planned_auto {
            Some("ServiceNow creates it with the registry".to_owned())
        } else if found.is_none() {
            Some("the registry had no default profile".to_owned())
        } else {
            None
        };
        if planned_auto {
            // A dry run of a new registry: the instance will make this one.
            let id = Id::Planned(PROFILE);
            let changes = plan::diff(&[("grant_type", r.grant.value.to_owned())], None);
            self.push(
                (PROFILE, table::PROFILE),
                r.profile_name.clone(),
                Action::Create,
                changes,
                &id,
                note,
            );
            return Ok(id);
        }
        let key = found
            .as_ref()
            .and_then(|f| f.get("name"))
            .filter(|n| !n.is_empty())
            .unwrap_or(&r.profile_name)
            .to_owned();
        let fields = vec![("grant_type", r.grant.value.to_owned())];
        if let Some(profile) = found
            .as_ref()
            .filter(|f| auto && plan::diff(&fields, Some(f)).is_empty())
        {
            // Made by the instance just now, as wanted: report it as created.
            let id = Id::Known(profile.sys_id().to_owned());
            let changes = plan::diff(&fields, None);
            self.push(
                (PROFILE, table::PROFILE),
                key,
                Action::Create,
                changes,
                &id,
                note,
            );
            return Ok(id);
        }
        let spec = Spec {
            record: PROFILE,
            table: table::PROFILE,
            key,
            fields,
            create_only: vec![
                ("name", r.profile_name.clone()),
                ("oauth_entity", entity.value()),
                ("default", "true".to_owned()),
            ],
            secret: None,
            note,
        };
        self.ensure(spec, found).await
    }

    /// One `oauth_entity_scope` row per scope, with both its name and the
    /// scope string sent to Atlassian. A row that already carries the scope
    /// (also inside a space-separated list) counts; a row named after the
    /// scope with an empty OAuth scope is completed. Returns, per scope, the
    /// row that carries it.
    pub(super) async fn scopes(&self, r: &Registry, entity: &Id) -> Result<Vec<(String, Id)>> {
        let rows = match (entity, &self.prefetched) {
            (Id::Known(id), Some(p)) => p.of(&p.scopes, "oauth_entity", id),
            (Id::Known(id), None) => {
                self.api
                    .find(table::SCOPE, &Query::eq("oauth_entity", id), SCOPE_FIELDS)
                    .await?
            }
            (Id::Planned(_), _) => Vec::new(),
        };
        let mut items = Vec::new();
        for scope in &r.scopes {
            let carries = |row: &&Record| row.get("oauth_entity_scope") == Some(scope.as_str());
            let within = |row: &&Record| {
                row.get("oauth_entity_scope")
                    .is_some_and(|v| v.split_whitespace().any(|s| s == scope))
            };
            let named = |row: &&Record| row.get("name") == Some(scope.as_str());
            let (found, fields, note) = if let Some(row) = rows.iter().find(carries) {
                (Some(row), vec![], None)
            } else if let Some(row) = rows.iter().find(within) {
                let note = format!(
                    "carried by the row `{}`",
                    row.get("name").unwrap_or_default()
                );
                (Some(row), vec![], Some(note))
            } else if let Some(row) = rows.iter().find(named) {
                (Some(row), vec![("oauth_entity_scope", scope.clone())], None)
            } else {
                let fields = vec![
                    ("name", scope.clone()),
                    ("oauth_entity_scope", scope.clone()),
                ];
                (None, fields, None)
            };
            let spec = Spec {
                record: SCOPE,
                table: table::SCOPE,
                key: scope.clone(),
                fields,
                create_only: vec![("oauth_entity", entity.value())],
                secret: None,
                note,
            };
            items.push((spec, found.cloned()));
        }
        let ids = self.ensure_all(items).await?;
        Ok(r.scopes.iter().cloned().zip(ids).collect())
    }

    /// Links every scope row to the default profile.
    pub(super) async fn profile_scopes(&self, profile: &Id, rows: &[(String, Id)]) -> Result<()> {
        let links = match (profile, &self.prefetched) {
            (Id::Known(id), Some(p)) => p.of(&p.links, "oauth_entity_profile", id),
            (Id::Known(id), None) => {
                self.api
                    .find(
                        table::PROFILE_SCOPE,
                        &Query::eq("oauth_entity_profile", id),
                        LINK_FIELDS,
                    )
                    .await?
            }
            (Id::Planned(_), _) => Vec::new(),
        };
        let linked: BTreeSet<&str> = links
            .iter()
            .filter_map(|l| l.get("oauth_entity_scope"))
            .collect();
        let mut done: BTreeSet<String> = BTreeSet::new();
        let mut items = Vec::new();
        for (scope, row) in rows {
            let row_value = row.value();
            // A row carrying several scopes is linked once.
            if row.known().is_some() && !done.insert(row_value.clone()) {
                continue;
            }
            let found = row
                .known()
                .filter(|id| linked.contains(id))
                .and_then(|id| {
                    links
                        .iter()
                        .find(|l| l.get("oauth_entity_scope") == Some(id))
                })
                .cloned();
            let spec = Spec {
                record: PROFILE_SCOPE,
                table: table::PROFILE_SCOPE,
                key: scope.clone(),
                fields: if found.is_some() {
                    vec![]
                } else {
                    vec![
                        ("oauth_entity_profile", profile.value()),
                        ("oauth_entity_scope", row_value),
                    ]
                },
                create_only: vec![],
                secret: None,
                note: None,
            };
            items.push((spec, found));
        }
        self.ensure_all(items).await.map(|_| ())
    }

    /// The default profiles, scope rows and profile links of the registry
    /// named as wanted (or as an earlier version named it), dot-walked by
    /// that name: nothing to wait for, so they go with the first lookups.
    pub(super) async fn prefetch(&self, wanted: &Wanted) -> Result<Option<Prefetched>> {
        let Some(r) = &wanted.registry else {
            return Ok(None);
        };
        let names = [r.name.clone(), r.legacy_name.clone()];
        let by_registry = |path: &str| Query::default().and_in(path, &names);
        let with = |fields: &[&'static str], path: &'static str| {
            let mut all = fields.to_vec();
            all.push(path);
            all
        };
        const PROFILE_PATH: &str = "oauth_entity.name";
        const LINK_PATH: &str = "oauth_entity_profile.oauth_entity.name";
        let profile_query = by_registry(PROFILE_PATH).and("default", "true");
        let scope_query = by_registry(PROFILE_PATH);
        let link_query = by_registry(LINK_PATH);
        let profile_fields = with(PROFILE_FIELDS, PROFILE_PATH);
        let scope_fields = with(SCOPE_FIELDS, PROFILE_PATH);
        let link_fields = with(LINK_FIELDS, LINK_PATH);
        let (profiles, scopes, links) = tokio::join!(
            self.read(table::PROFILE, &profile_query, &profile_fields),
            self.read(table::SCOPE, &scope_query, &scope_fields),
            self.read(table::PROFILE_SCOPE, &link_query, &link_fields),
        );
        Ok(Some(Prefetched {
            profiles: profiles?,
            scopes: scopes?,
            links: links?,
        }))
    }
}
