//! Compile-fail cases: one mistake per file under `tests/ui/<category>/`, each with its
//! reviewed `.stderr`. Regenerate with `TRYBUILD=overwrite cargo test -p tests --test ui`
//! and read the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*/*.rs");
}
