//! The graph of a state machine's [`Definition`]: its states, by name, and where each one
//! goes next. [`problems`] finds everything wrong with it, each problem placed on the
//! name it concerns ([`At`]), so that `stack!` reports it on the string literal at
//! compile time and the construct with the same words when the stack is synthesized.

use std::collections::{BTreeMap, BTreeSet};

use super::state_name;
use crate::suggest;

/// A definition: the state to start at and its states, in the order they were added. A
/// `Parallel` branch and a `Map` item processor are definitions of their own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Definition {
    /// The name of the state it starts at (`Definition::new`).
    pub start_at: String,
    /// Its states.
    pub states: Vec<State>,
}

/// One state of a [`Definition`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// Its name.
    pub name: String,
    /// What kind of state it is.
    pub kind: Kind,
    /// The states it can go to, by name.
    pub transitions: Vec<Transition>,
    /// Whether it ends the execution (or its branch) with `.end()`.
    pub end: bool,
    /// A `Parallel` state's branches, or a `Map` state's item processor.
    pub nested: Vec<Definition>,
}

/// A kind of state: its `Type` in the Amazon States Language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A `Task` (`LambdaInvoke`).
    Task,
    /// A `Pass`.
    Pass,
    /// A `Wait`.
    Wait,
    /// A `Choice`: goes on by its rules, never by `next`.
    Choice,
    /// A `Parallel`, running its branches.
    Parallel,
    /// A `Map`, running its item processor per item.
    Map,
    /// A `Succeed`: ends.
    Succeed,
    /// A `Fail`: ends.
    Fail,
}

impl Kind {
    /// The state's `Type` in the Amazon States Language.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Task => "Task",
            Kind::Pass => "Pass",
            Kind::Wait => "Wait",
            Kind::Choice => "Choice",
            Kind::Parallel => "Parallel",
            Kind::Map => "Map",
            Kind::Succeed => "Succeed",
            Kind::Fail => "Fail",
        }
    }

    /// Whether a state of this kind goes on with `next` or ends with `end`: all but
    /// `Choice`, `Succeed` and `Fail`.
    fn flows(self) -> bool {
        !matches!(self, Kind::Choice | Kind::Succeed | Kind::Fail)
    }
}

/// Where a state can go, by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    /// The builder call that names it.
    pub how: How,
    /// The name of the state it goes to.
    pub target: String,
}

/// The builder call that names a transition's target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// `.next("<state>")`.
    Next,
    /// A `Choice`'s `.when(condition, "<state>")`.
    When,
    /// A `Choice`'s `.otherwise("<state>")`.
    Otherwise,
    /// `.add_catch(Catch::new("<state>"))`.
    Catch,
}

impl How {
    /// The call as written.
    pub fn method(self) -> &'static str {
        match self {
            How::Next => "next",
            How::When => "when",
            How::Otherwise => "otherwise",
            How::Catch => "add_catch",
        }
    }
}

/// One thing wrong with a definition: where it is and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The name it concerns.
    pub at: At,
    /// What is wrong, with the state's name, and how to fix it.
    pub message: String,
}

/// The name a [`Problem`] concerns, in the definition given to [`problems`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    /// The definition it is in: the top one when empty, else, step by step, the index
    /// of a state and of one of its nested definitions.
    pub scope: Vec<(usize, usize)>,
    /// The name within that definition.
    pub part: Part,
}

/// A name within one definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The start (`Definition::new`).
    Start,
    /// The name of the state of this index.
    State(usize),
    /// The target of a transition: the state's index, then the transition's.
    Transition(usize, usize),
}

/// Everything wrong with `definition` and the definitions nested in it: a name used
/// twice or over 80 characters; a start or a transition naming no state of its
/// definition (with the closest name); a state with neither `next` nor `end`; a `Choice`
/// without rules or without `otherwise`; a `Parallel` without branches, a `Map` without
/// item processor; a state never reached; a definition without states or without an
/// end, and a transition into states from which no path ends.
pub fn problems(definition: &Definition) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut names: BTreeMap<&str, Vec<At>> = BTreeMap::new();
    collect_names(definition, &mut Vec::new(), &mut names);
    for (name, places) in &names {
        if let [_, second, ..] = places.as_slice() {
            out.push(Problem {
                at: second.clone(),
                message: format!(
                    "the state name `{name}` is used {} times; names are unique in a state machine, its branches and item processors included: rename all but one",
                    places.len()
                ),
            });
        }
        if let Err(why) = state_name(name) {
            out.push(Problem {
                at: places[0].clone(),
                message: format!("the state name `{name}` {why}"),
            });
        }
    }
    let everywhere: BTreeSet<&str> = names.keys().copied().collect();
    let mut scope = Scope {
        label: "the definition".to_owned(),
        path: Vec::new(),
        everywhere: &everywhere,
        out: &mut out,
    };
    scope.check(definition);
    out
}

/// Every state name of `definition` and of those nested in it, with where it is.
fn collect_names<'a>(
    definition: &'a Definition,
    path: &mut Vec<(usize, usize)>,
    names: &mut BTreeMap<&'a str, Vec<At>>,
) {
    for (index, state) in definition.states.iter().enumerate() {
        names.entry(state.name.as_str()).or_default().push(At {
            scope: path.clone(),
            part: Part::State(index),
        });
        for (nested_index, nested) in state.nested.iter().enumerate() {
            path.push((index, nested_index));
            collect_names(nested, path, names);
            path.pop();
        }
    }
}

/// The checks of one definition: what it is called in messages and where it is.
struct Scope<'a, 'o> {
    label: String,
    path: Vec<(usize, usize)>,
    everywhere: &'a BTreeSet<&'a str>,
    out: &'o mut Vec<Problem>,
}

impl Scope<'_, '_> {
    fn report(&mut self, part: Part, message: String) {
        self.out.push(Problem {
            at: At {
                scope: self.path.clone(),
                part,
            },
            message,
        });
    }

    /// Why `target` is no state here, and how to fix it.
    fn unknown(&self, what: &str, target: &str, names: &[&str]) -> String {
        let fix = if self.everywhere.contains(target) {
            "; it is a state of another definition, and a transition cannot leave or enter a `Parallel` branch or a `Map` item processor".to_owned()
        } else {
            let hint = suggest::did_you_mean(target, names.iter().copied());
            if hint.is_empty() {
                format!(
                    "; add a state named `{target}` or name one of {}",
                    suggest::list(names)
                )
            } else {
                hint
            }
        };
        format!(
            "{what} names `{target}`, which is not a state of {}{fix}",
            self.label
        )
    }

    /// The problems of this definition's own states, then of its nested ones.
    fn check(&mut self, definition: &Definition) {
        let start = definition.start_at.as_str();
        if definition.states.is_empty() {
            let message = format!(
                "{} has no states; add them with `.state(..)`, starting with `{start}`",
                self.label
            );
            self.report(Part::Start, message);
            return;
        }
        let names: Vec<&str> = definition.states.iter().map(|s| s.name.as_str()).collect();
        if !names.contains(&start) {
            let what = format!("the start of {} (`Definition::new`)", self.label);
            let message = self.unknown(&what, start, &names);
            self.report(Part::Start, message);
        }
        for (index, state) in definition.states.iter().enumerate() {
            self.check_state(index, state, &names);
        }
        let graph = Graph::new(definition);
        // A state that a misspelt name was meant for is reached once the name is fixed.
        let meant: BTreeSet<&str> = definition
            .states
            .iter()
            .flat_map(|s| &s.transitions)
            .map(|t| t.target.as_str())
            .filter(|t| !names.contains(t) && !self.everywhere.contains(t))
            .filter_map(|t| suggest::closest(t, names.iter().copied()))
            .collect();
        for index in graph.unreachable() {
            if meant.contains(names[index]) {
                continue;
            }
            let message = format!(
                "state `{}` is never reached from `{start}`; name it in a `next`, `when`, `otherwise` or `Catch::new` of a state that is, or remove it",
                names[index]
            );
            self.report(Part::State(index), message);
        }
        if !definition.states.iter().any(State::is_terminal) {
            let message = format!(
                "{} never ends: none of its states is a `Succeed` or a `Fail` or ends with `.end()`; end its last state with `.end()`",
                self.label
            );
            self.report(Part::Start, message);
        } else {
            self.check_loops(&graph, definition);
        }
        for (index, state) in definition.states.iter().enumerate() {
            for (nested_index, nested) in state.nested.iter().enumerate() {
                let label = if state.kind == Kind::Map {
                    format!("the item processor of Map `{}`", state.name)
                } else {
                    format!("branch {} of Parallel `{}`", nested_index + 1, state.name)
                };
                let mut path = self.path.clone();
                path.push((index, nested_index));
                Scope {
                    label,
                    path,
                    everywhere: self.everywhere,
                    out: &mut *self.out,
                }
                .check(nested);
            }
        }
    }

    fn check_state(&mut self, index: usize, state: &State, names: &[&str]) {
        let name = &state.name;
        for (t, transition) in state.transitions.iter().enumerate() {
            if !names.contains(&transition.target.as_str()) {
                let what = format!("state `{name}`: `{}`", transition.how.method());
                let message = self.unknown(&what, &transition.target, names);
                self.report(Part::Transition(index, t), message);
            }
        }
        let here = Part::State(index);
        if state.kind.flows() && !state.end && !state.has(How::Next) {
            self.report(
                here,
                format!("state `{name}` has neither `next` nor `end`; add `.next(\"<state>\")` or `.end()`"),
            );
        }
        match state.kind {
            Kind::Choice => {
                if !state.has(How::When) {
                    self.report(here, format!(
                        "Choice `{name}` has no rule; add `.when(Condition::string_equals(\"$.status\", \"ok\"), \"<state>\")`"
                    ));
                }
                if !state.has(How::Otherwise) {
                    self.report(here, format!(
                        "Choice `{name}` has no `otherwise`: an input no rule matches would fail the execution with `States.NoChoiceMatched`; add `.otherwise(\"<state>\")`, to a `Fail` state if failing is meant"
                    ));
                }
            }
            Kind::Parallel if state.nested.is_empty() => self.report(here, format!(
                "Parallel `{name}` has no branch; add one with `.branch(Definition::new(\"<state>\").state(..))`"
            )),
            Kind::Map if state.nested.is_empty() => self.report(here, format!(
                "Map `{name}` has no `item_processor`; give it one with `.item_processor(Definition::new(\"<state>\").state(..))`"
            )),
            _ => {}
        }
    }

    /// States an execution can reach but never leave for an end: reported on each
    /// transition into them from a state that can end, or on the start when none can.
    fn check_loops(&mut self, graph: &Graph<'_>, definition: &Definition) {
        let trapped = graph.trapped();
        if trapped.is_empty() {
            return;
        }
        let names: Vec<&str> = trapped
            .iter()
            .map(|&i| definition.states[i].name.as_str())
            .collect();
        let fix = format!(
            "no path from {} reaches a `Succeed`, a `Fail` or a state that ends with `.end()`; give one of them a way out, such as a `Choice` rule to a state that ends",
            suggest::list(&names)
        );
        if trapped.contains(&graph.start.unwrap_or(usize::MAX)) {
            let message = format!(
                "{} never ends from `{}`: {fix}",
                self.label, definition.start_at
            );
            self.report(Part::Start, message);
            return;
        }
        for (index, state) in definition.states.iter().enumerate() {
            if trapped.contains(&index) || !graph.reached[index] {
                continue;
            }
            for (t, transition) in state.transitions.iter().enumerate() {
                let into = graph.index(&transition.target);
                if into.is_some_and(|i| trapped.contains(&i)) {
                    let message = format!(
                        "state `{}`: `{}` goes to `{}`, which never ends: {fix}",
                        state.name,
                        transition.how.method(),
                        transition.target
                    );
                    self.report(Part::Transition(index, t), message);
                }
            }
        }
    }
}

impl State {
    fn has(&self, how: How) -> bool {
        self.transitions.iter().any(|t| t.how == how)
    }

    /// Whether an execution (or a branch) can end in this state.
    fn is_terminal(&self) -> bool {
        self.end || matches!(self.kind, Kind::Succeed | Kind::Fail)
    }
}

/// A definition's states by index, with the edges between them and what the start
/// reaches.
struct Graph<'a> {
    definition: &'a Definition,
    by_name: BTreeMap<&'a str, usize>,
    start: Option<usize>,
    reached: Vec<bool>,
}

impl<'a> Graph<'a> {
    fn new(definition: &'a Definition) -> Self {
        let mut by_name = BTreeMap::new();
        for (index, state) in definition.states.iter().enumerate() {
            by_name.entry(state.name.as_str()).or_insert(index);
        }
        let start = by_name.get(definition.start_at.as_str()).copied();
        let mut graph = Self {
            definition,
            by_name,
            start,
            reached: vec![false; definition.states.len()],
        };
        let mut frontier: Vec<usize> = start.into_iter().collect();
        while let Some(index) = frontier.pop() {
            if std::mem::replace(&mut graph.reached[index], true) {
                continue;
            }
            frontier.extend(graph.successors(index));
        }
        graph
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    fn successors(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        self.definition.states[index]
            .transitions
            .iter()
            .filter_map(|t| self.index(&t.target))
    }

    /// The states no path from the start reaches, in the order they were added; none
    /// when the start itself is missing (that is reported instead).
    fn unreachable(&self) -> Vec<usize> {
        if self.start.is_none() {
            return Vec::new();
        }
        (0..self.reached.len())
            .filter(|&i| !self.reached[i])
            .collect()
    }

    /// The reached states from which no path leads to an end. A state already reported
    /// (with neither `next` nor `end`, a `Choice` without `otherwise`, or naming no
    /// state) counts as one that may end, so that one mistake is not reported twice.
    fn trapped(&self) -> Vec<usize> {
        let states = &self.definition.states;
        let mut ends: Vec<bool> = states
            .iter()
            .map(|s| {
                s.is_terminal()
                    || (s.kind.flows() && !s.has(How::Next))
                    || (s.kind == Kind::Choice && !s.has(How::Otherwise))
                    || s.transitions
                        .iter()
                        .any(|t| self.index(&t.target).is_none())
            })
            .collect();
        // Grow the states that can end until no more can.
        let mut changed = true;
        while changed {
            changed = false;
            for index in 0..states.len() {
                if !ends[index] && self.successors(index).any(|s| ends[s]) {
                    ends[index] = true;
                    changed = true;
                }
            }
        }
        (0..states.len())
            .filter(|&i| self.reached[i] && !ends[i])
            .collect()
    }
}

#[cfg(test)]
mod tests;
