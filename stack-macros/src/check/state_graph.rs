//! A state machine's definition read from its builder calls, when every name in them is
//! a string literal: `Definition::new("A").state(Pass::new("A").next("B"))...`, nested
//! `branch(..)` and `item_processor(..)` definitions and `Catch::new(..)` included. Its
//! graph is judged by the catalog's rule ([`Check::StateGraph`]) and each problem is an
//! error on the literal it concerns. A chain that is not all literal (a variable, a
//! helper's result, a call this reader does not know) is left to the check at synth.
//!
//! [`Check::StateGraph`]: stack_spec::rules::Check::StateGraph

use proc_macro2::Span;
use syn::{Expr, ExprLit, Lit};

use stack_spec::rules::stepfunctions::graph::{self, At, How, Kind, Part, Problem};

use crate::ctxt::Ctxt;

/// Reports every problem `rule` finds in the graph of `expr`, if it can be read.
pub(crate) fn check(rule: fn(&graph::Definition) -> Vec<Problem>, expr: &Expr, cx: &Ctxt) {
    let Some((definition, spans)) = read_definition(expr) else {
        return;
    };
    for Problem { at, message } in rule(&definition) {
        cx.error(spans.find(&at).unwrap_or(spans.start), message);
    }
}

/// Where the names of a definition are written.
#[derive(Debug)]
struct Spans {
    /// The start's literal, in `Definition::new`.
    start: Span,
    states: Vec<StateSpans>,
}

/// Where the names of one state are written.
#[derive(Debug)]
struct StateSpans {
    name: Span,
    /// Its transitions' targets, in the order of the graph's.
    transitions: Vec<Span>,
    nested: Vec<Spans>,
}

impl Spans {
    /// The literal `at` places a problem on.
    fn find(&self, at: &At) -> Option<Span> {
        let mut spans = self;
        for &(state, nested) in &at.scope {
            spans = spans.states.get(state)?.nested.get(nested)?;
        }
        match at.part {
            Part::Start => Some(spans.start),
            Part::State(state) => Some(spans.states.get(state)?.name),
            Part::Transition(state, t) => spans.states.get(state)?.transitions.get(t).copied(),
        }
    }
}

/// A builder chain taken apart: the call it starts from (`Pass::new("A")`) and the
/// method calls after it, in order.
struct Chain<'a> {
    /// The type and function of the first call: `["Pass", "new"]`, whatever the path.
    ty: String,
    function: String,
    args: Vec<&'a Expr>,
    methods: Vec<(String, Vec<&'a Expr>)>,
}

fn chain(expr: &Expr) -> Option<Chain<'_>> {
    match unwrap(expr) {
        Expr::MethodCall(call) if call.turbofish.is_none() => {
            let mut chain = chain(&call.receiver)?;
            chain
                .methods
                .push((call.method.to_string(), call.args.iter().collect()));
            Some(chain)
        }
        Expr::Call(call) => {
            let Expr::Path(path) = unwrap(&call.func) else {
                return None;
            };
            let mut segments = path.path.segments.iter().rev();
            let function = segments.next()?;
            let ty = segments.next()?;
            if !function.arguments.is_none() || !ty.arguments.is_none() || path.qself.is_some() {
                return None;
            }
            Some(Chain {
                ty: ty.ident.to_string(),
                function: function.ident.to_string(),
                args: call.args.iter().collect(),
                methods: Vec::new(),
            })
        }
        _ => None,
    }
}

/// `expr` without the parentheses and invisible groups around it.
fn unwrap(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(inner) => unwrap(&inner.expr),
        Expr::Group(inner) => unwrap(&inner.expr),
        _ => expr,
    }
}

/// The string literal `expr` is, with its span.
fn literal(expr: &Expr) -> Option<(String, Span)> {
    match unwrap(expr) {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some((s.value(), s.span())),
        _ => None,
    }
}

/// `Definition::new("<start>").state(..)...`, every state read.
fn read_definition(expr: &Expr) -> Option<(graph::Definition, Spans)> {
    let chain = chain(expr)?;
    if (chain.ty.as_str(), chain.function.as_str()) != ("Definition", "new") {
        return None;
    }
    let [start] = chain.args.as_slice() else {
        return None;
    };
    let (start_at, start) = literal(start)?;
    let mut definition = graph::Definition {
        start_at,
        states: Vec::new(),
    };
    let mut spans = Spans {
        start,
        states: Vec::new(),
    };
    for (method, args) in &chain.methods {
        let (method, [state]) = (method.as_str(), args.as_slice()) else {
            return None;
        };
        if method != "state" {
            return None;
        }
        let (state, state_spans) = read_state(state)?;
        definition.states.push(state);
        spans.states.push(state_spans);
    }
    Some((definition, spans))
}

/// The kind a state's type builds and how many arguments its `new` takes.
fn kind_of(ty: &str) -> Option<(Kind, usize)> {
    Some(match ty {
        "LambdaInvoke" => (Kind::Task, 2),
        "Pass" => (Kind::Pass, 1),
        "Wait" => (Kind::Wait, 2),
        "Choice" => (Kind::Choice, 1),
        "Parallel" => (Kind::Parallel, 1),
        "Map" => (Kind::Map, 1),
        "Succeed" => (Kind::Succeed, 1),
        "Fail" => (Kind::Fail, 1),
        _ => return None,
    })
}

/// Whether a state of `kind` has the method `method` that names no state, so that the
/// reader may skip it whatever its arguments.
fn keeps_graph(kind: Kind, method: &str) -> bool {
    let flows = matches!(kind, Kind::Task | Kind::Pass | Kind::Parallel | Kind::Map);
    let runs_work = matches!(kind, Kind::Task | Kind::Parallel | Kind::Map);
    match method {
        "comment" => true,
        "input_path" | "output_path" => kind != Kind::Fail,
        "result_path" => flows,
        "add_retry" => runs_work,
        "payload_response_only" | "retry_on_service_exceptions" | "task_timeout" => {
            kind == Kind::Task
        }
        "result" | "parameters" => kind == Kind::Pass,
        "items_path" | "max_concurrency" => kind == Kind::Map,
        "error" | "cause" => kind == Kind::Fail,
        _ => false,
    }
}

/// One state: `Pass::new("A").next("B")`, `Choice::new("C").when(cond, "D")`, ...
fn read_state(expr: &Expr) -> Option<(graph::State, StateSpans)> {
    let chain = chain(expr)?;
    let (kind, arity) = kind_of(&chain.ty)?;
    if chain.function != "new" || chain.args.len() != arity {
        return None;
    }
    let (name, name_span) = literal(chain.args[0])?;
    let mut next: Option<(String, Span)> = None;
    let mut end = false;
    let mut whens = Vec::new();
    let mut otherwise = None;
    let mut catches = Vec::new();
    let mut nested = Vec::new();
    let flows = !matches!(kind, Kind::Choice | Kind::Succeed | Kind::Fail);
    let runs_work = matches!(kind, Kind::Task | Kind::Parallel | Kind::Map);
    for (method, args) in &chain.methods {
        match (method.as_str(), args.as_slice()) {
            ("next", [target]) if flows => {
                next = Some(literal(target)?);
                end = false;
            }
            ("end", []) if flows => {
                next = None;
                end = true;
            }
            ("when", [_, target]) if kind == Kind::Choice => whens.push(literal(target)?),
            ("otherwise", [target]) if kind == Kind::Choice => otherwise = Some(literal(target)?),
            ("add_catch", [catch]) if runs_work => {
                catches.push(read_catch(catch)?);
            }
            ("branch", [branch]) if kind == Kind::Parallel => nested.push(read_definition(branch)?),
            ("item_processor", [processor]) if kind == Kind::Map => {
                nested = vec![read_definition(processor)?];
            }
            (method, _) if keeps_graph(kind, method) => {}
            _ => return None,
        }
    }
    let targets = next
        .into_iter()
        .map(|t| (How::Next, t))
        .chain(whens.into_iter().map(|t| (How::When, t)))
        .chain(otherwise.into_iter().map(|t| (How::Otherwise, t)))
        .chain(catches.into_iter().map(|t| (How::Catch, t)));
    let (transitions, spans): (Vec<graph::Transition>, Vec<Span>) = targets
        .map(|(how, (target, span))| (graph::Transition { how, target }, span))
        .unzip();
    let (nested, nested_spans) = nested.into_iter().unzip();
    let state = graph::State {
        name,
        kind,
        transitions,
        end,
        nested,
    };
    let spans = StateSpans {
        name: name_span,
        transitions: spans,
        nested: nested_spans,
    };
    Some((state, spans))
}

/// `Catch::new("<state>")`, with any `errors` and `result_path`: its target.
fn read_catch(expr: &Expr) -> Option<(String, Span)> {
    let chain = chain(expr)?;
    let plain = chain
        .methods
        .iter()
        .all(|(method, _)| matches!(method.as_str(), "errors" | "result_path"));
    match (
        chain.ty.as_str(),
        chain.function.as_str(),
        chain.args.as_slice(),
    ) {
        ("Catch", "new", [target]) if plain => literal(target),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    // Chains read into the graph, or left alone when a name is not literal, and the
    // graph's problems on their literals.
    use super::*;
    use crate::test_support::sites;

    fn read(text: &str) -> Option<graph::Definition> {
        let expr: Expr = syn::parse_str(text).expect("an expression");
        read_definition(&expr).map(|(definition, _)| definition)
    }

    /// The graph as text: `start [name:Kind(how>target,..)end{nested}]`.
    fn outline(definition: &graph::Definition) -> String {
        let states: Vec<String> = definition
            .states
            .iter()
            .map(|s| {
                let transitions: Vec<String> = s
                    .transitions
                    .iter()
                    .map(|t| format!("{}>{}", t.how.method(), t.target))
                    .collect();
                let nested: String = s
                    .nested
                    .iter()
                    .map(|n| format!("{{{}}}", outline(n)))
                    .collect();
                let end = if s.end { " end" } else { "" };
                format!(
                    "{}:{:?}({}){end}{nested}",
                    s.name,
                    s.kind,
                    transitions.join(",")
                )
            })
            .collect();
        format!("{} [{}]", definition.start_at, states.join(" "))
    }

    #[test]
    fn a_literal_chain_is_read_with_every_transition() {
        let definition = read(
            r#"Definition::new("Work")
                .state(LambdaInvoke::new("Work", work)
                    .payload_response_only(true)
                    .add_retry(Retry::new().max_attempts(2))
                    .add_catch(Catch::new("Failed").errors(["States.ALL"]).result_path("$.error"))
                    .next("Route"))
                .state(stepfunctions::Choice::new("Route")
                    .comment(comment)
                    .when(Condition::is_present(path), "Each")
                    .otherwise("Both"))
                .state(Map::new("Each")
                    .items_path("$.items")
                    .item_processor(Definition::new("Item").state(Pass::new("Item").end()))
                    .next("Pause"))
                .state(Parallel::new("Both")
                    .branch(Definition::new("Left").state(Succeed::new("Left")))
                    .branch((Definition::new("Right").state(Pass::new("Right").result(json!({})).end())))
                    .next("Orphan")
                    .end())
                .state(Wait::new("Pause", WaitTime::seconds_path("$.delay")).next("Done"))
                .state(Pass::new("Orphan"))
                .state(Succeed::new("Done"))
                .state(Fail::new("Failed").error("E").cause("C"))"#,
        )
        .expect("read");
        assert_eq!(
            outline(&definition),
            "Work [Work:Task(next>Route,add_catch>Failed) \
             Route:Choice(when>Each,otherwise>Both) \
             Each:Map(next>Pause){Item [Item:Pass() end]} \
             Both:Parallel() end{Left [Left:Succeed()]}{Right [Right:Pass() end]} \
             Pause:Wait(next>Done) Orphan:Pass() Done:Succeed() Failed:Fail()]"
        );
    }

    #[test]
    fn a_chain_that_is_not_all_literal_is_left_to_synth() {
        for text in [
            "definition",
            "order_flow(validate)",
            "Definition::new(START)",
            "Definition::new(\"A\").state(first)",
            "Definition::new(\"A\").state(Pass::new(name).end())",
            "Definition::new(\"A\").state(Pass::new(\"A\").next(format!(\"B\")))",
            "Definition::new(\"A\").state(Pass::new(\"A\").add_catch(Catch::new(\"B\")).end())",
            "Definition::new(\"A\").state(LambdaInvoke::new(\"A\", f).add_catch(catch).end())",
            "Definition::new(\"A\").state(Parallel::new(\"A\").branch(branch).end())",
            "Definition::new(\"A\").state(Map::new(\"A\").item_processor(helper()).end())",
            "Definition::new(\"A\").state(Pass::new(\"A\").nxt(\"B\"))",
            "Definition::new(\"A\").state(Choice::new(\"A\").next(\"B\"))",
            "Definition::new(\"A\").state(Succeed::new(\"A\").input_path(\"$\")).states(more)",
            "Definition::new(\"A\").state(Definition::new(\"A\").state(Succeed::new(\"A\")))",
            "Definition::default()",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
        assert!(read("Definition::new(\"A\").state(Succeed::new(\"A\").input_path(p))").is_some());
    }

    #[test]
    fn problems_are_errors_on_the_literal_they_concern() {
        let expr: Expr = syn::parse_str(
            r#"Definition::new("Start")
                .state(Pass::new("Start").next("Rout"))
                .state(Choice::new("Route")
                    .when(Condition::is_present("$.a"), "Done"))
                .state(Parallel::new("Both")
                    .branch(Definition::new("Left").state(Pass::new("Left").next("Left")))
                    .end())
                .state(Succeed::new("Done"))"#,
        )
        .expect("an expression");
        let cx = Ctxt::new();
        check(graph::problems, &expr, &cx);
        let sites = sites(cx);
        let on = |line: usize| -> Vec<&str> {
            sites
                .iter()
                .filter(|(_, l)| *l == line)
                .map(|(m, _)| m.as_str())
                .collect()
        };
        assert_eq!(sites.len(), 5, "{sites:?}");
        assert_eq!(
            on(2),
            ["state `Start`: `next` names `Rout`, which is not a state of the definition; did you mean `Route`?"]
        );
        assert_eq!(
            on(3),
            ["Choice `Route` has no `otherwise`: an input no rule matches would fail the execution with `States.NoChoiceMatched`; add `.otherwise(\"<state>\")`, to a `Fail` state if failing is meant"],
            "and not unreachable, since `Rout` was meant for it"
        );
        assert_eq!(on(5).len(), 1, "`Both` is never reached: {sites:?}");
        assert_eq!(on(8).len(), 1, "`Done` is never reached: {sites:?}");
        assert!(
            on(6)[0].starts_with("branch 1 of Parallel `Both` never ends"),
            "{sites:?}"
        );
    }
}
