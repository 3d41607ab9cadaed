//! Renamed resources: the moves a deploy makes for `#[renamed_from]`, the deployed
//! template with those logical IDs renamed (what a stack refactor takes, and what `diff`
//! compares against), and the probable renames nobody declared.

use serde_json::{Map, Value as Json};

use crate::ops::schema;

/// A resource whose logical ID changes from `old` to `new`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Move {
    pub(crate) old: String,
    pub(crate) new: String,
    /// The resource type.
    pub(crate) type_name: String,
}

impl Move {
    /// `` `Old` → `New` (AWS::S3::Bucket) ``.
    pub(crate) fn describe(&self) -> String {
        format!("`{}` → `{}` ({})", self.old, self.new, self.type_name)
    }
}

fn resources(template: &Json) -> Option<&Map<String, Json>> {
    template.get("Resources").and_then(Json::as_object)
}

fn type_of(resource: &Json) -> String {
    resource
        .get("Type")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The declared renames (`(old, new)`) a deploy makes: those whose old logical ID the
/// deployed stack still has, whose new one it does not have yet and the local template
/// does. The others were moved already, or the stack is new.
pub(crate) fn declared_moves(
    renames: &[(String, String)],
    deployed: &Json,
    local: &Json,
) -> Vec<Move> {
    let (Some(deployed), Some(local)) = (resources(deployed), resources(local)) else {
        return Vec::new();
    };
    renames
        .iter()
        .filter(|(_, new)| !deployed.contains_key(new) && local.contains_key(new))
        .filter_map(|(old, new)| {
            Some(Move {
                old: old.clone(),
                new: new.clone(),
                type_name: type_of(deployed.get(old)?),
            })
        })
        .collect()
}

/// `template` with each moved logical ID renamed: the key in `Resources`, and every
/// reference to it (`Ref`, `Fn::GetAtt`, `${Id}` in `Fn::Sub`, `DependsOn`), in resources
/// and outputs alike. Nothing else changes, as a stack refactor requires.
pub(crate) fn rename_ids(template: &Json, moves: &[Move]) -> Json {
    let mut out = template.clone();
    if let Some(Json::Object(resources)) = out.get_mut("Resources") {
        let renamed: Map<String, Json> = std::mem::take(resources)
            .into_iter()
            .map(|(id, body)| (renamed(moves, &id).map_or(id, str::to_owned), body))
            .collect();
        *resources = renamed;
    }
    for section in ["Resources", "Outputs"] {
        if let Some(value) = out.get_mut(section) {
            rewrite_references(value, moves);
        }
    }
    out
}

/// The new logical ID of `id`, when it moves.
fn renamed<'a>(moves: &'a [Move], id: &str) -> Option<&'a str> {
    moves.iter().find(|m| m.old == id).map(|m| m.new.as_str())
}

fn rewrite_references(value: &mut Json, moves: &[Move]) {
    match value {
        Json::Object(map) => {
            for (key, inner) in map.iter_mut() {
                match (key.as_str(), &mut *inner) {
                    ("Ref" | "DependsOn", Json::String(id)) => {
                        if let Some(new) = renamed(moves, id) {
                            *id = new.to_owned();
                        }
                    }
                    ("DependsOn", Json::Array(ids)) => {
                        for id in ids {
                            if let Some(new) = id.as_str().and_then(|id| renamed(moves, id)) {
                                *id = Json::String(new.to_owned());
                            }
                        }
                    }
                    ("Fn::GetAtt", Json::Array(parts)) => {
                        if let Some(new) = parts
                            .first()
                            .and_then(Json::as_str)
                            .and_then(|id| renamed(moves, id))
                        {
                            parts[0] = Json::String(new.to_owned());
                        }
                        rewrite_references(inner, moves);
                    }
                    ("Fn::GetAtt", Json::String(dotted)) => {
                        if let Some((id, attribute)) = dotted.split_once('.') {
                            if let Some(new) = renamed(moves, id) {
                                *dotted = format!("{new}.{attribute}");
                            }
                        }
                    }
                    ("Fn::Sub", Json::String(text)) => *text = rename_in_sub(text, moves),
                    ("Fn::Sub", Json::Array(parts)) => {
                        if let Some(Json::String(text)) = parts.first_mut() {
                            *text = rename_in_sub(text, moves);
                        }
                        rewrite_references(inner, moves);
                    }
                    _ => rewrite_references(inner, moves),
                }
            }
        }
        Json::Array(items) => {
            for item in items {
                rewrite_references(item, moves);
            }
        }
        _ => {}
    }
}

/// `${Old}` and `${Old.Attr}` in an `Fn::Sub` string, renamed; `${!Literal}` left alone.
fn rename_in_sub(text: &str, moves: &[Move]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start + 2]);
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else { break };
        let inner = &rest[..end];
        let (id, attribute) = match inner.split_once('.') {
            Some((id, attribute)) => (id, Some(attribute)),
            None => (inner, None),
        };
        match renamed(moves, id) {
            Some(new) => {
                out.push_str(new);
                if let Some(attribute) = attribute {
                    out.push('.');
                    out.push_str(attribute);
                }
            }
            None => out.push_str(inner),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Resources removed and added in one update that look like one resource renamed
/// without `#[renamed_from]`: the same stateful type, and the same `Properties` once
/// every top-level property whose name ends in `Name` (the physical names, which a
/// rename often changes along) is set aside. Only unambiguous pairs count: a removed
/// resource that matches one added resource, which matches no other removed one.
pub(crate) fn probable(old: &Json, new: &Json) -> Vec<Move> {
    let (Some(old), Some(new)) = (resources(old), resources(new)) else {
        return Vec::new();
    };
    let removed: Vec<(&String, &Json)> = old
        .iter()
        .filter(|(id, body)| !new.contains_key(*id) && schema::is_stateful(&type_of(body)))
        .collect();
    let added: Vec<(&String, &Json)> = new
        .iter()
        .filter(|(id, _)| !old.contains_key(*id))
        .collect();
    let alike = |a: &Json, b: &Json| type_of(a) == type_of(b) && unnamed(a) == unnamed(b);
    let mut moves = Vec::new();
    for (old_id, old_body) in &removed {
        let mut candidates = added.iter().filter(|(_, body)| alike(old_body, body));
        let (Some((new_id, _)), None) = (candidates.next(), candidates.next()) else {
            continue;
        };
        let new_body = &new[*new_id];
        let rivals = removed
            .iter()
            .filter(|(_, body)| alike(body, new_body))
            .count();
        if rivals == 1 {
            moves.push(Move {
                old: (*old_id).clone(),
                new: (*new_id).clone(),
                type_name: type_of(old_body),
            });
        }
    }
    moves
}

/// The resource's `Properties` without the top-level properties that name it.
fn unnamed(resource: &Json) -> Json {
    let mut properties = resource
        .get("Properties")
        .cloned()
        .unwrap_or_else(|| Json::Object(Map::new()));
    if let Some(map) = properties.as_object_mut() {
        map.retain(|key, _| !key.ends_with("Name"));
    }
    properties
}

/// What a probable rename costs, and how to avoid it.
pub(crate) fn warning(m: &Move) -> String {
    format!(
        "{} looks like a rename: CloudFormation would delete `{}` and its data and create \
         `{}`; declare `#[renamed_from({})]` on the resource to move it instead",
        m.describe(),
        m.old,
        m.new,
        declared_name(&m.old)
    )
}

/// The `stack!` name a logical ID comes from: `OldJobs` → `old_jobs`.
fn declared_name(logical_id: &str) -> String {
    let mut name = String::new();
    for (i, c) in logical_id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                name.push('_');
            }
            name.push(c.to_ascii_lowercase());
        } else {
            name.push(c);
        }
    }
    name
}

#[cfg(test)]
mod tests {
    // Which moves a deploy makes, how a template is renamed, and what looks like a rename.
    use super::*;
    use serde_json::json;

    #[test]
    fn declared_moves_skip_ids_already_moved_or_never_deployed() {
        let deployed = json!({ "Resources": {
            "Files": { "Type": "AWS::S3::Bucket" },
            "Photos2": { "Type": "AWS::S3::Bucket" } } });
        let local = json!({ "Resources": {
            "Photos": { "Type": "AWS::S3::Bucket" },
            "Photos2": { "Type": "AWS::S3::Bucket" },
            "Logs": { "Type": "AWS::S3::Bucket" } } });
        let renames = [
            ("Files".to_owned(), "Photos".to_owned()),
            ("Files2".to_owned(), "Photos2".to_owned()),
            ("OldLogs".to_owned(), "Logs".to_owned()),
        ];
        assert_eq!(
            declared_moves(&renames, &deployed, &local),
            [Move {
                old: "Files".into(),
                new: "Photos".into(),
                type_name: "AWS::S3::Bucket".into()
            }]
        );
    }

    #[test]
    fn renaming_ids_rewrites_every_reference_and_nothing_else() {
        let template = json!({
            "Description": "Files",
            "Resources": {
                "Files": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "Files" } },
                "FilesPolicy": { "Type": "AWS::S3::BucketPolicy", "DependsOn": ["Files", "Other"],
                    "Properties": { "Bucket": { "Ref": "Files" },
                        "Arn": { "Fn::GetAtt": ["Files", "Arn"] },
                        "Dotted": { "Fn::GetAtt": "Files.Arn" },
                        "Sub": { "Fn::Sub": "${Files}/${Files.Arn}/${!Files}/${AWS::Region}" } } },
                "Other": { "Type": "AWS::SQS::Queue", "DependsOn": "Files" } },
            "Outputs": { "Name": { "Value": { "Fn::Sub": ["${Files}-${X}", { "X": { "Ref": "FilesPolicy" } }] } } } });
        let moves = [
            Move {
                old: "Files".into(),
                new: "Photos".into(),
                type_name: String::new(),
            },
            Move {
                old: "FilesPolicy".into(),
                new: "PhotosPolicy".into(),
                type_name: String::new(),
            },
        ];
        let renamed = rename_ids(&template, &moves);
        assert_eq!(
            renamed,
            json!({
                "Description": "Files",
                "Resources": {
                    "Photos": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "Files" } },
                    "PhotosPolicy": { "Type": "AWS::S3::BucketPolicy", "DependsOn": ["Photos", "Other"],
                        "Properties": { "Bucket": { "Ref": "Photos" },
                            "Arn": { "Fn::GetAtt": ["Photos", "Arn"] },
                            "Dotted": { "Fn::GetAtt": "Photos.Arn" },
                            "Sub": { "Fn::Sub": "${Photos}/${Photos.Arn}/${!Files}/${AWS::Region}" } } },
                    "Other": { "Type": "AWS::SQS::Queue", "DependsOn": "Photos" } },
                "Outputs": { "Name": { "Value": { "Fn::Sub": ["${Photos}-${X}", { "X": { "Ref": "PhotosPolicy" } }] } } } })
        );
    }

    #[test]
    fn a_stateful_resource_removed_and_its_twin_added_is_a_probable_rename() {
        let old = json!({ "Resources": {
            "Files": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "a", "VersioningConfiguration": { "Status": "Enabled" } } },
            "Jobs": { "Type": "AWS::IAM::Role" } } });
        let new = json!({ "Resources": {
            "Photos": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "b", "VersioningConfiguration": { "Status": "Enabled" } } },
            "Tasks": { "Type": "AWS::IAM::Role" } } });
        let moves = probable(&old, &new);
        assert_eq!(moves.len(), 1, "{moves:?}");
        assert_eq!(
            warning(&moves[0]),
            "`Files` → `Photos` (AWS::S3::Bucket) looks like a rename: CloudFormation would \
             delete `Files` and its data and create `Photos`; declare `#[renamed_from(files)]` \
             on the resource to move it instead"
        );
        // Other properties differ: a different bucket.
        let mut different = new.clone();
        different["Resources"]["Photos"]["Properties"]["VersioningConfiguration"]["Status"] =
            json!("Suspended");
        assert!(probable(&old, &different).is_empty());
        // Two alike buckets added: which one took over is a guess, so none is named.
        let mut twins = new.clone();
        twins["Resources"]["Archive"] = new["Resources"]["Photos"].clone();
        assert!(probable(&old, &twins).is_empty());
        assert_eq!(declared_name("OldJobs2"), "old_jobs2");
    }
}
