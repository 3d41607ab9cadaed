//! The semantic difference between a deployed template and a local one, per resource and
//! property, with embedded JSON parsed and IAM statements compared one by one.

use serde_json::{json, Map, Value as Json};

use crate::ops::renames::{self, Move};
use crate::ops::schema::{self, Replacement};

/// What happens to one entry of a template section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    Add,
    Remove,
    Modify,
}

impl Action {
    /// `add`, `remove`, `modify`: the words of `--json`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Remove => "remove",
            Action::Modify => "modify",
        }
    }

    /// `[+]`, `[-]`, `[~]`.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Action::Add => "[+]",
            Action::Remove => "[-]",
            Action::Modify => "[~]",
        }
    }
}

/// One changed value inside a resource, parameter or output.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ValueChange {
    /// `Properties.Timeout`, `Properties.Policies[0].PolicyName`, `DependsOn`.
    pub(crate) path: String,
    /// `None` when the value is new.
    pub(crate) old: Option<Json>,
    /// `None` when the value was removed.
    pub(crate) new: Option<Json>,
    /// Whether this change replaces the resource, from the schema.
    pub(crate) replacement: Replacement,
}

/// One IAM statement added to or removed from a policy document.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct StatementChange {
    /// The path of the policy document, e.g. `Properties.Policies[0].PolicyDocument`.
    pub(crate) path: String,
    /// [`Action::Add`] or [`Action::Remove`].
    pub(crate) action: Action,
    /// The normalized statement.
    pub(crate) statement: Json,
}

/// The change to one resource, parameter or output.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EntryChange {
    /// The logical ID, parameter name or output name.
    pub(crate) id: String,
    /// The resource type (the new one when it changed); empty for parameters and outputs.
    pub(crate) type_name: String,
    pub(crate) action: Action,
    /// For [`Action::Modify`]: every changed value except IAM statements.
    pub(crate) values: Vec<ValueChange>,
    /// For [`Action::Modify`]: IAM statements added and removed.
    pub(crate) statements: Vec<StatementChange>,
    /// Whether the change replaces the resource: from the schema, or from a change set.
    pub(crate) replacement: Replacement,
}

/// The difference between two templates.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct TemplateDiff {
    pub(crate) parameters: Vec<EntryChange>,
    pub(crate) resources: Vec<EntryChange>,
    pub(crate) outputs: Vec<EntryChange>,
    /// Top-level keys other than those three that changed (`Description`, `Conditions`, ...).
    pub(crate) other: Vec<ValueChange>,
    /// Removed stateful resources that look renamed to an added one, without
    /// `#[renamed_from]`: CloudFormation would delete them, and their data.
    pub(crate) probable_renames: Vec<Move>,
}

impl TemplateDiff {
    /// Whether the templates are the same, semantically.
    pub(crate) fn is_empty(&self) -> bool {
        self.parameters.is_empty()
            && self.resources.is_empty()
            && self.outputs.is_empty()
            && self.other.is_empty()
    }

    /// The resource change for `logical_id`, mutably.
    pub(crate) fn resource_mut(&mut self, logical_id: &str) -> Option<&mut EntryChange> {
        self.resources.iter_mut().find(|r| r.id == logical_id)
    }
}

const SECTIONS: [&str; 3] = ["Parameters", "Resources", "Outputs"];

/// Compares a deployed template (`None` when the stack does not exist) with a local one.
pub(crate) fn diff_templates(old: Option<&Json>, new: &Json) -> TemplateDiff {
    let empty = Json::Object(Map::new());
    let old = old.unwrap_or(&empty);
    let section = |template: &Json, name: &str| -> Map<String, Json> {
        template
            .get(name)
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let mut diff = TemplateDiff {
        parameters: diff_section(
            &section(old, "Parameters"),
            &section(new, "Parameters"),
            false,
        ),
        resources: diff_section(&section(old, "Resources"), &section(new, "Resources"), true),
        outputs: diff_section(&section(old, "Outputs"), &section(new, "Outputs"), false),
        other: Vec::new(),
        probable_renames: renames::probable(old, new),
    };
    let keys = |template: &Json| -> Vec<String> {
        template
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut other_keys = keys(old);
    for key in keys(new) {
        if !other_keys.contains(&key) {
            other_keys.push(key);
        }
    }
    if old == &empty {
        // A new stack: its description and format version are not changes worth listing.
        return diff;
    }
    for key in other_keys {
        if SECTIONS.contains(&key.as_str()) {
            continue;
        }
        let mut changes = Vec::new();
        let mut statements = Vec::new();
        diff_value(
            &key,
            old.get(&key),
            new.get(&key),
            &mut changes,
            &mut statements,
        );
        diff.other.extend(changes);
    }
    diff
}

fn diff_section(
    old: &Map<String, Json>,
    new: &Map<String, Json>,
    resources: bool,
) -> Vec<EntryChange> {
    let type_of = |entry: &Json| -> String {
        if resources {
            entry
                .get("Type")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned()
        } else {
            String::new()
        }
    };
    let mut changes = Vec::new();
    // Local order first, so the output follows the stack as written; removed entries last.
    for (id, new_entry) in new {
        match old.get(id) {
            None => changes.push(EntryChange {
                id: id.clone(),
                type_name: type_of(new_entry),
                action: Action::Add,
                values: Vec::new(),
                statements: Vec::new(),
                replacement: Replacement::Never,
            }),
            Some(old_entry) => {
                let mut values = Vec::new();
                let mut statements = Vec::new();
                diff_value(
                    "",
                    Some(old_entry),
                    Some(new_entry),
                    &mut values,
                    &mut statements,
                );
                if values.is_empty() && statements.is_empty() {
                    continue;
                }
                let type_name = type_of(new_entry);
                let mut replacement = Replacement::Never;
                if resources {
                    for value in &mut values {
                        value.replacement = value_replacement(&type_name, &value.path);
                        replacement = replacement.max(value.replacement);
                    }
                    for statement in &statements {
                        let property = top_property(&statement.path);
                        replacement = replacement.max(schema::replacement(&type_name, property));
                    }
                }
                changes.push(EntryChange {
                    id: id.clone(),
                    type_name,
                    action: Action::Modify,
                    values,
                    statements,
                    replacement,
                });
            }
        }
    }
    for (id, old_entry) in old {
        if !new.contains_key(id) {
            changes.push(EntryChange {
                id: id.clone(),
                type_name: type_of(old_entry),
                action: Action::Remove,
                values: Vec::new(),
                statements: Vec::new(),
                replacement: Replacement::Never,
            });
        }
    }
    changes
}

/// `Properties.BucketName.X` → `BucketName`.
fn top_property(path: &str) -> &str {
    let rest = path.strip_prefix("Properties.").unwrap_or("");
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    &rest[..end]
}

fn value_replacement(type_name: &str, path: &str) -> Replacement {
    if path == "Type" {
        return Replacement::Always;
    }
    if path == "Properties" {
        return Replacement::Never;
    }
    let property = top_property(path);
    if property.is_empty() {
        Replacement::Never
    } else {
        schema::replacement(type_name, property)
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Records every difference between `old` and `new` under `path`.
fn diff_value(
    path: &str,
    old: Option<&Json>,
    new: Option<&Json>,
    values: &mut Vec<ValueChange>,
    statements: &mut Vec<StatementChange>,
) {
    let (old, new) = match (old, new) {
        (None, None) => return,
        (Some(old), Some(new)) => (old, new),
        (old, new) => {
            values.push(ValueChange {
                path: path.to_owned(),
                old: old.cloned(),
                new: new.cloned(),
                replacement: Replacement::Never,
            });
            return;
        }
    };
    if old == new {
        return;
    }
    // Embedded JSON (a policy as a string, a state machine definition) is compared parsed,
    // so a reformatted document is no change and a changed one shows where.
    if let (Some(old_doc), Some(new_doc)) = (embedded_json(old), embedded_json(new)) {
        diff_value(path, Some(&old_doc), Some(&new_doc), values, statements);
        return;
    }
    if let (Some(old_doc), Some(new_doc)) = (policy_statements(old), policy_statements(new)) {
        diff_statements(path, &old_doc, &new_doc, statements);
        let rest = |doc: &Json| {
            let mut doc = doc.clone();
            if let Some(map) = doc.as_object_mut() {
                map.remove("Statement");
            }
            doc
        };
        diff_value(path, Some(&rest(old)), Some(&rest(new)), values, statements);
        return;
    }
    match (old, new) {
        (Json::Object(old_map), Json::Object(new_map)) => {
            for (key, new_value) in new_map {
                diff_value(
                    &join(path, key),
                    old_map.get(key),
                    Some(new_value),
                    values,
                    statements,
                );
            }
            for (key, old_value) in old_map {
                if !new_map.contains_key(key) {
                    diff_value(&join(path, key), Some(old_value), None, values, statements);
                }
            }
        }
        (Json::Array(old_items), Json::Array(new_items)) if old_items.len() == new_items.len() => {
            for (i, (o, n)) in old_items.iter().zip(new_items).enumerate() {
                diff_value(
                    &format!("{path}[{i}]"),
                    Some(o),
                    Some(n),
                    values,
                    statements,
                );
            }
        }
        _ => values.push(ValueChange {
            path: path.to_owned(),
            old: Some(old.clone()),
            new: Some(new.clone()),
            replacement: Replacement::Never,
        }),
    }
}

/// The parsed document when `value` is a string holding a JSON object or array.
fn embedded_json(value: &Json) -> Option<Json> {
    let text = value.as_str()?.trim_start();
    if !(text.starts_with('{') || text.starts_with('[')) {
        return None;
    }
    serde_json::from_str(text).ok()
}

/// The normalized statements when `value` is an IAM policy document: an object with a
/// `Statement` and, when it has other keys, a `Version`.
fn policy_statements(value: &Json) -> Option<Vec<Json>> {
    let map = value.as_object()?;
    let statement = map.get("Statement")?;
    if map.len() > 1 && !map.contains_key("Version") {
        return None;
    }
    let list = match statement {
        Json::Array(items) => items.clone(),
        Json::Object(_) => vec![statement.clone()],
        _ => return None,
    };
    Some(list.iter().map(normalize_statement).collect())
}

/// A statement in one canonical form: `Action`, `NotAction`, `Resource`, `NotResource` and
/// the values inside `Principal` as sorted, de-duplicated lists; `Sid` kept.
pub(crate) fn normalize_statement(statement: &Json) -> Json {
    let Some(map) = statement.as_object() else {
        return statement.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let normalized = match key.as_str() {
            "Action" | "NotAction" | "Resource" | "NotResource" => sorted_list(value),
            "Principal" | "NotPrincipal" => match value {
                Json::Object(principals) => Json::Object(
                    principals
                        .iter()
                        .map(|(k, v)| (k.clone(), sorted_list(v)))
                        .collect(),
                ),
                other => other.clone(),
            },
            _ => value.clone(),
        };
        out.insert(key.clone(), normalized);
    }
    Json::Object(out)
}

fn sorted_list(value: &Json) -> Json {
    let mut items: Vec<Json> = match value {
        Json::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    items.sort_by_key(|item| item.to_string());
    items.dedup();
    Json::Array(items)
}

fn diff_statements(path: &str, old: &[Json], new: &[Json], out: &mut Vec<StatementChange>) {
    let mut remaining: Vec<&Json> = old.iter().collect();
    let mut added = Vec::new();
    for statement in new {
        match remaining.iter().position(|s| *s == statement) {
            Some(index) => {
                remaining.remove(index);
            }
            None => added.push(statement),
        }
    }
    for statement in remaining {
        out.push(StatementChange {
            path: path.to_owned(),
            action: Action::Remove,
            statement: statement.clone(),
        });
    }
    for statement in added {
        out.push(StatementChange {
            path: path.to_owned(),
            action: Action::Add,
            statement: statement.clone(),
        });
    }
}

/// One line for a value in text output: JSON, shortened when long.
pub(crate) fn show_value(value: &Json) -> String {
    const MAX: usize = 120;
    let text = value.to_string();
    if text.chars().count() <= MAX {
        text
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// `Allow s3:GetObject, s3:PutObject on arn:aws:s3:::b/*`, for text output.
pub(crate) fn show_statement(statement: &Json) -> String {
    let words = |key: &str| -> Option<String> {
        let value = statement.get(key)?;
        let items: Vec<String> = match value {
            Json::Array(items) => items.iter().map(plain).collect(),
            other => vec![plain(other)],
        };
        Some(items.join(", "))
    };
    let effect = statement
        .get("Effect")
        .and_then(Json::as_str)
        .unwrap_or("?");
    let mut text = effect.to_owned();
    if let Some(actions) = words("Action") {
        text.push_str(&format!(" {actions}"));
    }
    if let Some(actions) = words("NotAction") {
        text.push_str(&format!(" everything but {actions}"));
    }
    if let Some(principal) = statement.get("Principal") {
        text.push_str(&format!(" to {}", plain(principal)));
    }
    if let Some(resources) = words("Resource") {
        text.push_str(&format!(" on {resources}"));
    }
    if let Some(condition) = statement.get("Condition") {
        text.push_str(&format!(" when {}", plain(condition)));
    }
    text
}

fn plain(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The diff as `--json` shows it, for one stack.
pub(crate) fn to_json(diff: &TemplateDiff) -> Json {
    let entries = |changes: &[EntryChange], resources: bool| -> Json {
        changes
            .iter()
            .map(|change| {
                let mut entry = Map::new();
                entry.insert(
                    if resources { "logicalId" } else { "name" }.into(),
                    change.id.clone().into(),
                );
                if resources {
                    entry.insert("type".into(), change.type_name.clone().into());
                }
                entry.insert("action".into(), change.action.as_str().into());
                if resources {
                    entry.insert("replacement".into(), change.replacement.as_str().into());
                }
                if change.action == Action::Modify {
                    let values: Vec<Json> = change.values.iter().map(value_json).collect();
                    entry.insert("changes".into(), values.into());
                    if resources {
                        let statements: Vec<Json> = change
                            .statements
                            .iter()
                            .map(|s| {
                                json!({
                                    "path": s.path,
                                    "action": s.action.as_str(),
                                    "statement": s.statement,
                                })
                            })
                            .collect();
                        entry.insert("iamStatements".into(), statements.into());
                    }
                }
                Json::Object(entry)
            })
            .collect()
    };
    json!({
        "parameters": entries(&diff.parameters, false),
        "resources": entries(&diff.resources, true),
        "outputs": entries(&diff.outputs, false),
        "other": diff.other.iter().map(value_json).collect::<Vec<_>>(),
        "probableRenames": diff
            .probable_renames
            .iter()
            .map(|m| json!({ "from": m.old, "to": m.new, "type": m.type_name }))
            .collect::<Vec<_>>(),
    })
}

fn value_json(change: &ValueChange) -> Json {
    let mut map = Map::new();
    map.insert("path".into(), change.path.clone().into());
    map.insert("old".into(), change.old.clone().unwrap_or(Json::Null));
    map.insert("new".into(), change.new.clone().unwrap_or(Json::Null));
    map.insert("replacement".into(), change.replacement.as_str().into());
    Json::Object(map)
}

#[cfg(test)]
mod tests {
    // Semantic comparison: what counts as a change, and how it is attributed.
    use super::*;

    fn template(resources: Json) -> Json {
        json!({ "AWSTemplateFormatVersion": "2010-09-09", "Resources": resources })
    }

    #[test]
    fn identical_templates_have_no_diff() {
        let t = template(json!({ "B": { "Type": "AWS::S3::Bucket" } }));
        assert!(diff_templates(Some(&t), &t).is_empty());
    }

    #[test]
    fn new_stack_adds_everything() {
        let t = template(json!({ "B": { "Type": "AWS::S3::Bucket" } }));
        let diff = diff_templates(None, &t);
        assert_eq!(diff.resources.len(), 1);
        assert_eq!(diff.resources[0].action, Action::Add);
        assert!(diff.other.is_empty());
    }

    #[test]
    fn replacing_property_is_marked() {
        let old = template(json!({ "B": { "Type": "AWS::S3::Bucket",
            "Properties": { "BucketName": "a", "Tags": [] } } }));
        let new = template(json!({ "B": { "Type": "AWS::S3::Bucket",
            "Properties": { "BucketName": "b", "Tags": [] } } }));
        let diff = diff_templates(Some(&old), &new);
        let change = &diff.resources[0];
        assert_eq!(change.replacement, Replacement::Always);
        assert_eq!(change.values[0].path, "Properties.BucketName");
        assert_eq!(change.values[0].replacement, Replacement::Always);
    }

    #[test]
    fn in_place_property_is_not_marked() {
        let old = template(json!({ "F": { "Type": "AWS::Lambda::Function",
            "Properties": { "Timeout": 300 } } }));
        let new = template(json!({ "F": { "Type": "AWS::Lambda::Function",
            "Properties": { "Timeout": 60 } } }));
        let change = &diff_templates(Some(&old), &new).resources[0];
        assert_eq!(change.replacement, Replacement::Never);
        assert_eq!(change.values[0].old, Some(json!(300)));
        assert_eq!(change.values[0].new, Some(json!(60)));
    }

    #[test]
    fn embedded_json_compares_parsed() {
        let old = template(json!({ "M": { "Type": "AWS::StepFunctions::StateMachine",
            "Properties": { "DefinitionString": "{\"a\": 1, \"b\": 2}" } } }));
        let same = template(json!({ "M": { "Type": "AWS::StepFunctions::StateMachine",
            "Properties": { "DefinitionString": "{\"a\":1,\"b\":2}" } } }));
        assert!(diff_templates(Some(&old), &same).is_empty());
        let changed = template(json!({ "M": { "Type": "AWS::StepFunctions::StateMachine",
            "Properties": { "DefinitionString": "{\"a\":1,\"b\":3}" } } }));
        let change = &diff_templates(Some(&old), &changed).resources[0];
        assert_eq!(change.values[0].path, "Properties.DefinitionString.b");
    }

    #[test]
    fn iam_statements_are_normalized_and_diffed_one_by_one() {
        let doc = |statements: Json| {
            template(json!({ "R": { "Type": "AWS::IAM::Role", "Properties": {
                "Policies": [{ "PolicyName": "P", "PolicyDocument": {
                    "Version": "2012-10-17", "Statement": statements } }] } } }))
        };
        let old = doc(json!([
            { "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "*" },
            { "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*" }
        ]));
        // Reordered statements and actions, single values as lists: no change.
        let same = doc(json!([
            { "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": ["*"] },
            { "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*" }
        ]));
        assert!(diff_templates(Some(&old), &same).is_empty());
        let new = doc(json!([
            { "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*" },
            { "Effect": "Allow", "Action": "sqs:*", "Resource": "*" }
        ]));
        let change = &diff_templates(Some(&old), &new).resources[0];
        assert!(change.values.is_empty());
        assert_eq!(change.statements.len(), 2);
        assert_eq!(change.statements[0].action, Action::Remove);
        assert_eq!(change.statements[1].action, Action::Add);
        assert_eq!(
            change.statements[1].path,
            "Properties.Policies[0].PolicyDocument"
        );
        assert_eq!(
            show_statement(&change.statements[1].statement),
            "Allow sqs:* on *"
        );
    }

    #[test]
    fn type_change_replaces_and_removed_resources_come_last() {
        let old = template(json!({
            "A": { "Type": "AWS::SQS::Queue" },
            "B": { "Type": "AWS::SNS::Topic" } }));
        let new = template(json!({
            "A": { "Type": "AWS::SNS::Topic" },
            "C": { "Type": "AWS::SQS::Queue" } }));
        let diff = diff_templates(Some(&old), &new);
        let summary: Vec<(&str, Action, Replacement)> = diff
            .resources
            .iter()
            .map(|r| (r.id.as_str(), r.action, r.replacement))
            .collect();
        assert_eq!(
            summary,
            [
                ("A", Action::Modify, Replacement::Always),
                ("C", Action::Add, Replacement::Never),
                ("B", Action::Remove, Replacement::Never),
            ]
        );
    }

    #[test]
    fn outputs_and_description_are_compared() {
        let mut old = template(json!({ "B": { "Type": "AWS::S3::Bucket" } }));
        let mut new = old.clone();
        old["Outputs"] = json!({ "Name": { "Value": { "Ref": "B" } } });
        new["Description"] = json!("hello");
        let diff = diff_templates(Some(&old), &new);
        assert_eq!(diff.outputs[0].action, Action::Remove);
        assert_eq!(diff.other[0].path, "Description");
    }
}
