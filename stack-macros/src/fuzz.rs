//! A mutation fuzzer for the whole expansion, run as a test: the real blocks of the apps
//! and the tests, edited token by token (dropped, repeated, swapped, replaced by tokens
//! that broke the macro before, nested deeply), must each expand to code or to errors,
//! never to a panic. `STACK_FUZZ_ITERATIONS` runs it longer than the suite's budget.

use std::panic::{self, AssertUnwindSafe};
use std::str::FromStr;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

use crate::expand;

/// The blocks the mutations start from: every `stack!` of these files.
const SEEDS: &[&str] = &[
    include_str!("../../apps/photosky/src/lib.rs"),
    include_str!("../../apps/chatbot/src/lib.rs"),
    include_str!("../../apps/genai/src/lib.rs"),
    include_str!("../../apps/extralabs/src/lib.rs"),
    include_str!("../../apps/streamlit/src/lib.rs"),
    include_str!("../../apps/website/src/lib.rs"),
    include_str!("../../tests/tests/language.rs"),
    include_str!("../../tests/tests/overrides.rs"),
    include_str!("../../tests/tests/constructs.rs"),
];

/// How many mutated blocks the test suite expands.
const ITERATIONS: usize = 3_000;

/// The bodies of the `stack! { ... }` invocations in `source`.
fn blocks(source: &str) -> Vec<TokenStream> {
    let Ok(tokens) = TokenStream::from_str(source) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    collect_blocks(tokens, &mut out);
    out
}

fn collect_blocks(tokens: TokenStream, out: &mut Vec<TokenStream>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match (token, tokens.get(i + 1), tokens.get(i + 2)) {
            (
                TokenTree::Ident(name),
                Some(TokenTree::Punct(bang)),
                Some(TokenTree::Group(body)),
            ) if name == "stack" && bang.as_char() == '!' => {
                out.push(body.stream());
            }
            (TokenTree::Group(group), _, _) => collect_blocks(group.stream(), out),
            _ => {}
        }
    }
}

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }
}

/// Tokens that have broken macros like this one: keys that are no identifiers, keywords,
/// huge numbers, empty and deep groups.
fn nasty(rng: &mut Rng) -> TokenTree {
    let span = Span::call_site();
    match rng.below(12) {
        0 => Literal::string("a-b").into(),
        1 => Literal::string("").into(),
        2 => Literal::string("r#").into(),
        3 => Ident::new("self", span).into(),
        4 => Ident::new("crate", span).into(),
        5 => Ident::new_raw("type", span).into(),
        6 => Literal::u128_unsuffixed(u128::MAX).into(),
        7 => Literal::string("${unclosed").into(),
        8 => Punct::new('#', Spacing::Alone).into(),
        9 => Group::new(Delimiter::Brace, TokenStream::new()).into(),
        10 => {
            let mut deep = TokenStream::new();
            for _ in 0..200 {
                deep = TokenTree::from(Group::new(Delimiter::Bracket, deep)).into();
            }
            Group::new(Delimiter::Parenthesis, deep).into()
        }
        _ => Literal::string("AWS::S3::Bucket").into(),
    }
}

/// One edit somewhere in `tokens`, at the top level or inside one of its groups.
fn mutate(tokens: TokenStream, rng: &mut Rng) -> TokenStream {
    let mut list: Vec<TokenTree> = tokens.into_iter().collect();
    if list.is_empty() {
        return TokenStream::from(nasty(rng));
    }
    let at = rng.below(list.len());
    if let TokenTree::Group(group) = &list[at] {
        if rng.below(3) > 0 {
            let mut inner = Group::new(group.delimiter(), mutate(group.stream(), rng));
            inner.set_span(group.span());
            list[at] = inner.into();
            return list.into_iter().collect();
        }
    }
    match rng.below(5) {
        0 => {
            list.remove(at);
        }
        1 => {
            let copy = list[at].clone();
            list.insert(at, copy);
        }
        2 if at + 1 < list.len() => list.swap(at, at + 1),
        3 => list[at] = nasty(rng),
        _ => list.insert(at, nasty(rng)),
    }
    list.into_iter().collect()
}

/// The stack rustc gives the thread that runs proc macros (8 MiB); a test thread has less.
const COMPILER_STACK: usize = 8 << 20;

#[test]
fn mutated_blocks_expand_without_panicking() {
    let fuzz = std::thread::Builder::new()
        .stack_size(COMPILER_STACK)
        .spawn(fuzz)
        .expect("a thread for the fuzzer");
    if let Err(failure) = fuzz.join() {
        panic::resume_unwind(failure);
    }
}

fn fuzz() {
    let seeds: Vec<TokenStream> = SEEDS.iter().flat_map(|s| blocks(s)).collect();
    assert!(seeds.len() >= 15, "found only {} blocks", seeds.len());
    let iterations = std::env::var("STACK_FUZZ_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ITERATIONS);
    let mut rng = Rng(0x5eed_cafe_f00d_beef);
    // The panic hook would print every caught panic; failures are reported below.
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    for i in 0..iterations {
        let mut block = seeds[rng.below(seeds.len())].clone();
        for _ in 0..=rng.below(3) {
            block = mutate(block, &mut rng);
        }
        let text = block.to_string();
        if panic::catch_unwind(AssertUnwindSafe(|| expand::stack(block))).is_err() {
            failures.push(format!("iteration {i}: stack! {{ {text} }}"));
        }
    }
    panic::set_hook(hook);
    assert!(
        failures.is_empty(),
        "{} of {iterations} mutated blocks made the macro panic; the first:\n{}",
        failures.len(),
        failures.first().map_or("", String::as_str)
    );
}

#[test]
fn the_seeds_expand_cleanly() {
    for source in SEEDS {
        for block in blocks(source) {
            let out = expand::stack(block.clone()).to_string();
            assert!(
                !out.contains("compile_error"),
                "a seed block has errors: {block}\n{out}"
            );
        }
    }
}
