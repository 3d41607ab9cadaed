//! [`Definition`]: a state machine's states, or a `Parallel` branch's or a `Map` item
//! processor's, and what is checked of their graph when the stack is synthesized.

use std::collections::{BTreeMap, BTreeSet};

use super::state::{IntoState, State, TaskFunction, Transition};
use crate::expr::Expr;
use crate::value::Value;
use stack_spec::rules::stepfunctions as rules;
use stack_spec::suggest;

/// States and the one to start at, written with Rust calls as a block's `definition`:
///
/// ```rust,ignore
/// Definition::new("Validate")
///     .state(LambdaInvoke::new("Validate", validate).next("Route"))
///     .state(Choice::new("Route")
///         .when(Condition::string_equals("$.Payload.status", "ok"), "Done")
///         .otherwise("Rejected"))
///     .state(Succeed::new("Done"))
///     .state(Fail::new("Rejected").error("Invalid"))
/// ```
///
/// States are named by strings and name the state after them (`next`, `when`,
/// `otherwise`, `Catch::new`) by name, as in the Amazon States Language. The graph is
/// checked when the stack is synthesized, each problem with the state's name: a name
/// that is no state, a state never reached, a non-final state with neither `next` nor
/// `end`, a `Choice` without `otherwise`, states that never end, duplicate names and names
/// over 80 characters.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    start_at: String,
    states: Vec<State>,
}

impl Definition {
    /// A definition that starts at the state named `start_at`.
    pub fn new(start_at: impl Into<String>) -> Self {
        Self {
            start_at: start_at.into(),
            states: Vec::new(),
        }
    }

    /// Adds a state: a [`LambdaInvoke`](super::LambdaInvoke), [`Pass`](super::Pass),
    /// [`Wait`](super::Wait), [`Choice`](super::Choice), [`Parallel`](super::Parallel),
    /// [`Map`](super::Map), [`Succeed`](super::Succeed) or [`Fail`](super::Fail).
    #[must_use]
    pub fn state(mut self, state: impl IntoState) -> Self {
        self.states.push(state.into_state());
        self
    }

    /// `StartAt` and `States` in Amazon States Language; function ARNs are `Fn::GetAtt`s.
    pub(super) fn to_expr(&self) -> Expr {
        Expr::Map(vec![
            ("StartAt".to_owned(), Expr::Str(self.start_at.clone())),
            (
                "States".to_owned(),
                Expr::Map(
                    self.states
                        .iter()
                        .map(|s| (s.name.clone(), s.to_expr()))
                        .collect(),
                ),
            ),
        ])
    }

    /// The functions its tasks invoke, branches and item processors included, each once.
    pub(super) fn functions(&self) -> Vec<&TaskFunction> {
        let mut out: Vec<&TaskFunction> = Vec::new();
        for state in &self.states {
            if let Some(function) = &state.function {
                if !out.iter().any(|f| f.id == function.id) {
                    out.push(function);
                }
            }
            for nested in &state.nested {
                for function in nested.functions() {
                    if !out.iter().any(|f| f.id == function.id) {
                        out.push(function);
                    }
                }
            }
        }
        out
    }

    /// Everything wrong with the graph, each with the state's name and how to fix it.
    pub(super) fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        self.count_names(&mut counts);
        for (name, count) in &counts {
            if *count > 1 {
                problems.push(format!(
                    "the state name `{name}` is used {count} times; names are unique in a state machine, its branches and item processors included: rename all but one"
                ));
            }
            if let Err(why) = rules::state_name(name) {
                problems.push(format!("the state name `{name}` {why}"));
            }
        }
        let everywhere: BTreeSet<&str> = counts.keys().copied().collect();
        self.scope_problems("the definition", &everywhere, &mut problems);
        problems
    }

    fn count_names<'a>(&'a self, counts: &mut BTreeMap<&'a str, usize>) {
        for state in &self.states {
            *counts.entry(state.name.as_str()).or_default() += 1;
            for nested in &state.nested {
                nested.count_names(counts);
            }
        }
    }

    /// The problems of this definition's own states, then of its nested ones. `scope`
    /// says which definition this is; `everywhere` holds every state name of the machine.
    fn scope_problems(&self, scope: &str, everywhere: &BTreeSet<&str>, out: &mut Vec<String>) {
        if self.states.is_empty() {
            out.push(format!(
                "{scope} has no states; add them with `.state(..)`, starting with `{}`",
                self.start_at
            ));
            return;
        }
        let names: Vec<&str> = self.states.iter().map(|s| s.name.as_str()).collect();
        let unknown = |what: String, target: &str| {
            let fix = if everywhere.contains(target) {
                "; it is a state of another definition, and a transition cannot leave or enter a `Parallel` branch or a `Map` item processor".to_owned()
            } else {
                let hint = suggest::did_you_mean(target, names.iter().copied());
                if hint.is_empty() {
                    format!(
                        "; add a state named `{target}` or name one of {}",
                        suggest::list(&names)
                    )
                } else {
                    hint
                }
            };
            format!("{what} names `{target}`, which is not a state of {scope}{fix}")
        };
        if !names.contains(&self.start_at.as_str()) {
            out.push(unknown(
                format!("the start of {scope} (`Definition::new`)"),
                &self.start_at,
            ));
        }
        for state in &self.states {
            let name = &state.name;
            for (how, target) in state.targets() {
                if !names.contains(&target) {
                    out.push(unknown(format!("state `{name}`: `{how}`"), target));
                }
            }
            if state.transition == Transition::Missing {
                out.push(format!(
                    "state `{name}` has neither `next` nor `end`; add `.next(\"<state>\")` or `.end()`"
                ));
            }
            match state.kind {
                "Choice" => {
                    if state.choices.is_empty() {
                        out.push(format!(
                            "Choice `{name}` has no rule; add `.when(Condition::string_equals(\"$.status\", \"ok\"), \"<state>\")`"
                        ));
                    }
                    if state.otherwise.is_none() {
                        out.push(format!(
                            "Choice `{name}` has no `otherwise`: an input no rule matches would fail the execution with `States.NoChoiceMatched`; add `.otherwise(\"<state>\")`, to a `Fail` state if failing is meant"
                        ));
                    }
                    for problem in state.choices.iter().flat_map(|(c, _)| c.problems()) {
                        out.push(format!("Choice `{name}`: {problem}"));
                    }
                }
                "Parallel" if state.nested.is_empty() => out.push(format!(
                    "Parallel `{name}` has no branch; add one with `.branch(Definition::new(\"<state>\").state(..))`"
                )),
                "Map" if state.nested.is_empty() => out.push(format!(
                    "Map `{name}` has no `item_processor`; give it one with `.item_processor(Definition::new(\"<state>\").state(..))`"
                )),
                _ => {}
            }
        }
        for name in self.unreachable() {
            out.push(format!(
                "state `{name}` is never reached from `{}`; name it in a `next`, `when`, `otherwise` or `Catch::new` of a state that is, or remove it",
                self.start_at
            ));
        }
        if !self.states.iter().any(State::is_terminal) {
            out.push(format!(
                "{scope} never ends: none of its states is a `Succeed` or a `Fail` or ends with `.end()`; end its last state with `.end()`"
            ));
        }
        for state in &self.states {
            for (index, nested) in state.nested.iter().enumerate() {
                let scope = if state.kind == "Map" {
                    format!("the item processor of Map `{}`", state.name)
                } else {
                    format!("branch {} of Parallel `{}`", index + 1, state.name)
                };
                nested.scope_problems(&scope, everywhere, out);
            }
        }
    }

    /// The states no path from the start reaches, in the order they were added; none
    /// when the start itself is missing (that is reported instead).
    fn unreachable(&self) -> Vec<&str> {
        let by_name: BTreeMap<&str, &State> =
            self.states.iter().map(|s| (s.name.as_str(), s)).collect();
        if !by_name.contains_key(self.start_at.as_str()) {
            return Vec::new();
        }
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut frontier = vec![self.start_at.as_str()];
        while let Some(name) = frontier.pop() {
            if !seen.insert(name) {
                continue;
            }
            if let Some(state) = by_name.get(name) {
                frontier.extend(state.targets().into_iter().map(|(_, t)| t));
            }
        }
        self.states
            .iter()
            .map(|s| s.name.as_str())
            .filter(|n| !seen.contains(n))
            .collect()
    }
}

/// An ASL document as the JSON text CloudFormation reads in `DefinitionString`: literal
/// text, with the deploy-time values (function ARNs, the partition) spliced in, so the
/// whole is one `Fn::Sub`.
pub(super) fn json_text(document: &Expr) -> Value<String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    write_json(document, &mut text, &mut parts);
    parts.push(Value::lit(text));
    Value::concat(parts)
}

fn write_json(expr: &Expr, text: &mut String, parts: &mut Vec<Value<String>>) {
    match expr {
        Expr::Map(entries) => {
            text.push('{');
            for (index, (key, value)) in entries.iter().enumerate() {
                if index > 0 {
                    text.push(',');
                }
                text.push_str(&serde_json::Value::String(key.clone()).to_string());
                text.push(':');
                write_json(value, text, parts);
            }
            text.push('}');
        }
        Expr::List(items) => {
            text.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    text.push(',');
                }
                write_json(item, text, parts);
            }
            text.push(']');
        }
        // A string made of deploy-time parts: the quotes are literal text around them.
        Expr::Ref(_) | Expr::GetAtt(..) | Expr::Join(..) | Expr::Sub(_) => {
            text.push('"');
            write_string_parts(expr, text, parts);
            text.push('"');
        }
        literal => text.push_str(&literal.to_json().to_string()),
    }
}

fn write_string_parts(expr: &Expr, text: &mut String, parts: &mut Vec<Value<String>>) {
    match expr {
        Expr::Str(s) => {
            let quoted = serde_json::Value::String(s.clone()).to_string();
            text.push_str(&quoted[1..quoted.len() - 1]);
        }
        Expr::Join(separator, items) if separator.is_empty() => {
            for item in items {
                write_string_parts(item, text, parts);
            }
        }
        deploy_time => {
            parts.push(Value::lit(std::mem::take(text)));
            parts.push(Value::from_expr(deploy_time.clone()));
        }
    }
}
