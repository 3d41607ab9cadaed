//! Escape hatches: setting or removing any property of any resource in a stack, after
//! the constructs have built it (`override bucket.policy.PolicyDocument = ...;`).

use serde_json::Value as Json;

use crate::expr::Expr;

/// One property override, applied when the stack is finished.
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyOverride {
    /// The resource's logical ID.
    pub logical_id: String,
    /// The path below `Properties`; a numeric segment indexes a list.
    pub path: Vec<String>,
    /// The new value, or `None` to remove the property.
    pub value: Option<Expr>,
}

/// Sets (or, with `None`, removes) the value at `path` inside the object `target`,
/// creating objects on the way. A numeric segment indexes a list; literal JSON on the
/// way is opened up so that its parts can be replaced.
pub fn apply(target: &mut Expr, path: &[String], value: Option<Expr>) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Err("the path is empty".to_owned());
    };
    let mut node = target;
    for (depth, segment) in parents.iter().enumerate() {
        open_json(node);
        node = match node {
            Expr::Map(entries) => {
                let position = match entries.iter().position(|(k, _)| k == segment) {
                    Some(position) => position,
                    None if value.is_some() => {
                        entries.push((segment.clone(), Expr::Map(Vec::new())));
                        entries.len() - 1
                    }
                    // Removing below a property that is not there removes nothing.
                    None => return Ok(()),
                };
                &mut entries[position].1
            }
            Expr::List(items) => {
                let index = list_index(segment, items.len(), &path[..=depth])?;
                &mut items[index]
            }
            _ => {
                return Err(format!(
                    "`{}` is not an object or a list, so it has no `{}`",
                    path[..depth].join("."),
                    path[depth + 1]
                ))
            }
        };
    }
    open_json(node);
    match node {
        Expr::Map(entries) => {
            let position = entries.iter().position(|(k, _)| k == last);
            match (position, value) {
                (Some(position), Some(value)) => entries[position].1 = value,
                (None, Some(value)) => entries.push((last.clone(), value)),
                (Some(position), None) => {
                    entries.remove(position);
                }
                (None, None) => {}
            }
            Ok(())
        }
        Expr::List(items) => {
            let index = list_index(last, items.len(), path)?;
            match value {
                Some(value) => items[index] = value,
                None => {
                    items.remove(index);
                }
            }
            Ok(())
        }
        _ => Err(format!(
            "`{}` is not an object or a list, so it has no `{last}`",
            parents.join(".")
        )),
    }
}

fn list_index(segment: &str, len: usize, path: &[String]) -> Result<usize, String> {
    match segment.parse::<usize>() {
        Ok(index) if index < len => Ok(index),
        Ok(index) => Err(format!(
            "`{}` has {len} items, so there is no item {index}",
            path[..path.len() - 1].join(".")
        )),
        Err(_) => Err(format!(
            "`{}` is a list; index it with a number, not `{segment}`",
            path[..path.len() - 1].join(".")
        )),
    }
}

/// Turns literal JSON objects and arrays into expressions, one level, so that a path can
/// go through them.
fn open_json(node: &mut Expr) {
    if let Expr::Json(json) = node {
        match json {
            Json::Object(map) => {
                *node = Expr::Map(
                    map.iter()
                        .map(|(k, v)| (k.clone(), Expr::Json(v.clone())))
                        .collect(),
                );
            }
            Json::Array(items) => {
                *node = Expr::List(items.iter().cloned().map(Expr::Json).collect());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    // Setting and removing properties along object, list and literal-JSON paths.
    use super::*;
    use serde_json::json;

    fn path(p: &str) -> Vec<String> {
        p.split('.').map(str::to_owned).collect()
    }

    fn props() -> Expr {
        Expr::Map(vec![
            ("BucketName".into(), Expr::Str("a".into())),
            (
                "Tags".into(),
                Expr::List(vec![Expr::Json(json!({"Key": "k", "Value": "v"}))]),
            ),
        ])
    }

    #[test]
    fn sets_replaces_and_creates_along_the_path() {
        let mut p = props();
        apply(&mut p, &path("BucketName"), Some(Expr::Str("b".into()))).expect("set");
        apply(
            &mut p,
            &path("VersioningConfiguration.Status"),
            Some(Expr::Str("Enabled".into())),
        )
        .expect("created");
        apply(&mut p, &path("Tags.0.Value"), Some(Expr::Str("w".into()))).expect("in JSON");
        assert_eq!(
            p.to_json(),
            json!({
                "BucketName": "b",
                "Tags": [{"Key": "k", "Value": "w"}],
                "VersioningConfiguration": {"Status": "Enabled"}
            })
        );
    }

    #[test]
    fn removes_properties_and_list_items() {
        let mut p = props();
        apply(&mut p, &path("BucketName"), None).expect("removed");
        apply(&mut p, &path("Missing.Deeper"), None).expect("nothing to remove");
        apply(&mut p, &path("Tags.0"), None).expect("item removed");
        assert_eq!(p.to_json(), json!({"Tags": []}));
    }

    #[test]
    fn bad_paths_say_what_is_there() {
        let mut p = props();
        let error = apply(&mut p, &path("Tags.3.Key"), Some(Expr::Int(1))).expect_err("index");
        assert_eq!(error, "`Tags` has 1 items, so there is no item 3");
        let error = apply(&mut p, &path("Tags.first"), None).expect_err("not a number");
        assert!(error.contains("index it with a number"), "{error}");
        let error = apply(&mut p, &path("BucketName.Inner"), Some(Expr::Int(1))).expect_err("leaf");
        assert!(error.contains("`BucketName` is not an object"), "{error}");
    }
}
