//! [`Definition`]: a state machine's states, or a `Parallel` branch's or a `Map` item
//! processor's, and what is checked of their graph when the stack is synthesized.

use super::state::{IntoState, State, TaskFunction};
use crate::expr::Expr;
use crate::value::Value;
use stack_spec::rules::stepfunctions::graph;

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
/// checked by [`graph::problems`]: at compile time when `stack!` can read it (a chain of
/// these calls with literal names), each problem on its name, and always when the stack
/// is synthesized, each with the state's name: a name that is no state, a state never
/// reached, a non-final state with neither `next` nor `end`, a `Choice` without
/// `otherwise`, states that never end, duplicate names and names over 80 characters.
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

    /// Everything wrong with it, each with the state's name and how to fix it: its
    /// graph, as [`graph::problems`] finds it (the same words `stack!` uses when it reads
    /// a literal definition at compile time), then its Choice rules' conditions.
    pub(super) fn problems(&self) -> Vec<String> {
        let mut problems: Vec<String> = graph::problems(&self.graph())
            .into_iter()
            .map(|p| p.message)
            .collect();
        self.condition_problems(&mut problems);
        problems
    }

    /// The graph of its states, nested definitions included.
    pub(super) fn graph(&self) -> graph::Definition {
        graph::Definition {
            start_at: self.start_at.clone(),
            states: self.states.iter().map(State::graph).collect(),
        }
    }

    /// What Step Functions would reject of each Choice rule's condition, nested
    /// definitions included.
    fn condition_problems(&self, out: &mut Vec<String>) {
        for state in &self.states {
            for problem in state.choices.iter().flat_map(|(c, _)| c.problems()) {
                out.push(format!("Choice `{}`: {problem}", state.name));
            }
            for nested in &state.nested {
                nested.condition_problems(out);
            }
        }
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
