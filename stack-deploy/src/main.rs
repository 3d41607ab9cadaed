//! The `stack-deploy` binary.

fn main() -> std::process::ExitCode {
    stack_deploy::main()
}
