// Each problem of a state graph, its words and the name it is placed on.
use super::*;

fn def(start: &str, states: impl IntoIterator<Item = State>) -> Definition {
    Definition {
        start_at: start.to_owned(),
        states: states.into_iter().collect(),
    }
}

fn state(kind: Kind, name: &str) -> State {
    State {
        name: name.to_owned(),
        kind,
        transitions: Vec::new(),
        end: false,
        nested: Vec::new(),
    }
}

impl State {
    fn to(mut self, how: How, target: &str) -> Self {
        self.transitions.push(Transition {
            how,
            target: target.to_owned(),
        });
        self
    }

    fn next(self, target: &str) -> Self {
        self.to(How::Next, target)
    }

    fn ends(mut self) -> Self {
        self.end = true;
        self
    }

    fn with(mut self, nested: Definition) -> Self {
        self.nested.push(nested);
        self
    }
}

fn pass(name: &str) -> State {
    state(Kind::Pass, name)
}

fn succeed(name: &str) -> State {
    state(Kind::Succeed, name)
}

fn choice(name: &str) -> State {
    state(Kind::Choice, name)
}

fn at(part: Part) -> At {
    At {
        scope: Vec::new(),
        part,
    }
}

fn messages(definition: &Definition) -> Vec<String> {
    problems(definition)
        .into_iter()
        .map(|p| p.message)
        .collect()
}

#[test]
fn a_sound_graph_has_no_problem() {
    let definition = def(
        "Route",
        [
            choice("Route")
                .to(How::When, "Work")
                .to(How::Otherwise, "Failed"),
            state(Kind::Task, "Work")
                .to(How::Catch, "Failed")
                .next("Again?"),
            choice("Again?")
                .to(How::When, "Work")
                .to(How::Otherwise, "Done"),
            state(Kind::Map, "Done")
                .with(def("Each", [pass("Each").ends()]))
                .ends(),
            state(Kind::Fail, "Failed"),
        ],
    );
    assert_eq!(problems(&definition), []);
}

#[test]
fn names_that_are_no_state_are_placed_on_the_name_with_the_closest_state() {
    let definition = def(
        "Validat",
        [
            pass("Validate").next("Rout"),
            choice("Route")
                .to(How::When, "Nowhere")
                .to(How::Otherwise, "Done"),
            state(Kind::Parallel, "Inner")
                .with(def("Deep", [pass("Deep").next("Done")]))
                .ends(),
            succeed("Done"),
        ],
    );
    let problems = problems(&definition);
    assert_eq!(
        problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>(),
        [
            "the start of the definition (`Definition::new`) names `Validat`, which is not a state of the definition; did you mean `Validate`?",
            "state `Validate`: `next` names `Rout`, which is not a state of the definition; did you mean `Route`?",
            "state `Route`: `when` names `Nowhere`, which is not a state of the definition; add a state named `Nowhere` or name one of `Validate`, `Route`, `Inner`, `Done`",
            "state `Deep`: `next` names `Done`, which is not a state of branch 1 of Parallel `Inner`; it is a state of another definition, and a transition cannot leave or enter a `Parallel` branch or a `Map` item processor",
            "branch 1 of Parallel `Inner` never ends: none of its states is a `Succeed` or a `Fail` or ends with `.end()`; end its last state with `.end()`",
        ]
    );
    let places: Vec<&At> = problems.iter().map(|p| &p.at).collect();
    assert_eq!(
        places,
        [
            &at(Part::Start),
            &at(Part::Transition(0, 0)),
            &at(Part::Transition(1, 0)),
            &At {
                scope: vec![(2, 0)],
                part: Part::Transition(0, 0)
            },
            &At {
                scope: vec![(2, 0)],
                part: Part::Start
            },
        ]
    );
}

#[test]
fn a_state_a_misspelt_name_was_meant_for_is_not_also_unreachable() {
    let definition = def(
        "Start",
        [
            pass("Start").next("Proces"),
            pass("Process").ends(),
            pass("Other").ends(),
        ],
    );
    assert_eq!(
        messages(&definition),
        [
            "state `Start`: `next` names `Proces`, which is not a state of the definition; did you mean `Process`?",
            "state `Other` is never reached from `Start`; name it in a `next`, `when`, `otherwise` or `Catch::new` of a state that is, or remove it",
        ]
    );
}

#[test]
fn unreachable_states_and_missing_transitions_are_placed_on_their_name() {
    let definition = def(
        "Start",
        [
            pass("Start").ends(),
            pass("Orphan"),
            state(Kind::Fail, "Also orphan"),
        ],
    );
    let problems = problems(&definition);
    assert_eq!(
        problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>(),
        [
            "state `Orphan` has neither `next` nor `end`; add `.next(\"<state>\")` or `.end()`",
            "state `Orphan` is never reached from `Start`; name it in a `next`, `when`, `otherwise` or `Catch::new` of a state that is, or remove it",
            "state `Also orphan` is never reached from `Start`; name it in a `next`, `when`, `otherwise` or `Catch::new` of a state that is, or remove it",
        ]
    );
    assert_eq!(
        problems.iter().map(|p| p.at.part).collect::<Vec<_>>(),
        [Part::State(1), Part::State(1), Part::State(2)]
    );
}

#[test]
fn a_choice_needs_rules_and_an_otherwise() {
    let definition = def(
        "Route",
        [
            choice("Route").to(How::When, "Done"),
            choice("Empty").to(How::Otherwise, "Done"),
            succeed("Done"),
        ],
    );
    let problems = problems(&definition);
    assert_eq!(
        problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>(),
        [
            "Choice `Route` has no `otherwise`: an input no rule matches would fail the execution with `States.NoChoiceMatched`; add `.otherwise(\"<state>\")`, to a `Fail` state if failing is meant",
            "Choice `Empty` has no rule; add `.when(Condition::string_equals(\"$.status\", \"ok\"), \"<state>\")`",
            "state `Empty` is never reached from `Route`; name it in a `next`, `when`, `otherwise` or `Catch::new` of a state that is, or remove it",
        ]
    );
    assert_eq!(problems[0].at, at(Part::State(0)));
}

#[test]
fn a_definition_without_an_end_or_states_is_placed_on_its_start() {
    let looping = def(
        "Ping",
        [pass("Ping").next("Pong"), pass("Pong").next("Ping")],
    );
    assert_eq!(
        problems(&looping),
        [Problem {
            at: at(Part::Start),
            message: "the definition never ends: none of its states is a `Succeed` or a `Fail` or ends with `.end()`; end its last state with `.end()`".to_owned(),
        }]
    );
    assert_eq!(
        messages(&def("Start", [])),
        ["the definition has no states; add them with `.state(..)`, starting with `Start`"]
    );
    let empty = def(
        "Each",
        [
            state(Kind::Map, "Each").ends(),
            state(Kind::Parallel, "Both").ends(),
        ],
    );
    assert_eq!(
        messages(&empty)[..2],
        [
            "Map `Each` has no `item_processor`; give it one with `.item_processor(Definition::new(\"<state>\").state(..))`",
            "Parallel `Both` has no branch; add one with `.branch(Definition::new(\"<state>\").state(..))`",
        ]
    );
}

#[test]
fn a_loop_that_never_ends_is_placed_on_the_transition_into_it() {
    let definition = def(
        "Route",
        [
            choice("Route")
                .to(How::When, "Poll")
                .to(How::Otherwise, "Done"),
            pass("Poll").next("Sleep"),
            state(Kind::Wait, "Sleep").next("Poll"),
            succeed("Done"),
        ],
    );
    assert_eq!(
        problems(&definition),
        [Problem {
            at: at(Part::Transition(0, 0)),
            message: "state `Route`: `when` goes to `Poll`, which never ends: no path from `Poll`, `Sleep` reaches a `Succeed`, a `Fail` or a state that ends with `.end()`; give one of them a way out, such as a `Choice` rule to a state that ends".to_owned(),
        }]
    );
    // From the start itself: the way out is never reached either.
    let from_start = def("Poll", [pass("Poll").next("Poll"), succeed("Done")]);
    let problems = problems(&from_start);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0]
        .message
        .starts_with("state `Done` is never reached"));
    assert_eq!(problems[1].at, at(Part::Start));
    assert!(
        problems[1]
            .message
            .starts_with("the definition never ends from `Poll`: no path from `Poll` reaches"),
        "{problems:?}"
    );
    // A loop with a way out, or one already reported, is not.
    let catching = def(
        "Work",
        [
            state(Kind::Task, "Work")
                .next("Work")
                .to(How::Catch, "Failed"),
            state(Kind::Fail, "Failed"),
        ],
    );
    assert_eq!(problems_of(&catching), 0);
    let no_otherwise = def(
        "Route",
        [choice("Route").to(How::When, "Route"), succeed("Done")],
    );
    assert!(messages(&no_otherwise)
        .iter()
        .all(|m| !m.contains("never ends")));
}

fn problems_of(definition: &Definition) -> usize {
    problems(definition).len()
}

#[test]
fn duplicate_and_long_names_are_reported_once_each() {
    let long = "S".repeat(81);
    let definition = def(
        "Done",
        [
            state(Kind::Parallel, &long)
                .with(def("Done", [succeed("Done")]))
                .ends(),
            succeed("Done"),
        ],
    );
    let problems = problems(&definition);
    assert_eq!(
        problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>(),
        [
            "the state name `Done` is used 2 times; names are unique in a state machine, its branches and item processors included: rename all but one".to_owned(),
            format!("the state name `{long}` is 81 characters long; Step Functions accepts state names of at most 80"),
            format!("state `{long}` is never reached from `Done`; name it in a `next`, `when`, `otherwise` or `Catch::new` of a state that is, or remove it"),
        ]
    );
    // The second use of a name, here the top definition's after the branch's.
    assert_eq!(problems[0].at, at(Part::State(1)));
    assert_eq!(problems[1].at, at(Part::State(0)));
}
