//! Running the stacks of a plan: one at a time in dependency order, or several at once
//! as their dependencies finish.

use super::stack::deploy_one;
use super::{Options, Plan, Run};
use crate::aws::Aws;
use crate::error::{CliError, CliResult};
use crate::ops::interrupt::Tracker;
use crate::ops::progress::ProgressMode;
use crate::ops::publish::Staging;
use crate::shell::{Forwarded, Shell};

/// One stack at a time, in plan order (a dependency order), live progress and questions
/// on the terminal.
pub(super) async fn deploy_in_order(
    shell: &mut Shell,
    aws: &Aws,
    plan: &Plan,
    tracker: &Tracker,
    run: &mut Run,
) -> CliResult {
    let mut staging = Staging::default();
    let count = plan.stacks.len();
    for (i, input) in plan.stacks.iter().enumerate() {
        let result = deploy_one(
            shell,
            aws,
            &plan.options,
            &mut staging,
            tracker,
            input,
            (i + 1, count),
        )
        .await;
        tracker.finish(&input.name);
        run.finish(shell, input, i, result)?;
        if !run.errors.is_empty() {
            break;
        }
    }
    Ok(())
}

/// Where a stack of a parallel run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Waiting,
    Running,
    Done,
    Failed,
}

/// Up to `--concurrency` stacks at once, each as a task on this thread, started as soon
/// as the stacks it depends on are deployed. Each task writes through its own shell to a
/// channel, and lines are written here whole, as they come, so output stays one line per
/// event, each with its `[n/N] Stack` prefix. Progress is event lines (a live status
/// line cannot show several stacks). Approval questions are asked here, one at a time,
/// while the other stacks go on. After a failure no further stack starts; those running
/// are watched to the end.
pub(super) async fn deploy_parallel(
    shell: &mut Shell,
    aws: &Aws,
    plan: &Plan,
    tracker: &Tracker,
    run: &mut Run,
) -> CliResult {
    let count = plan.stacks.len();
    let options = Options {
        progress: ProgressMode::Events,
        ..plan.options.clone()
    };
    if plan.options.progress == ProgressMode::Bar && shell.err_is_tty() {
        shell.note("stacks are deployed in parallel, so progress is shown as event lines");
    }
    let in_plan = |name: &str| plan.stacks.iter().position(|s| s.name == name);
    let dependencies: Vec<Vec<usize>> = plan
        .stacks
        .iter()
        .map(|s| s.dependencies.iter().filter_map(|d| in_plan(d)).collect())
        .collect();
    let mut state = vec![State::Waiting; count];
    let mut staging = Staging::default();
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<Forwarded>();
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let running = state.iter().filter(|s| **s == State::Running).count();
        if run.errors.is_empty() {
            let ready = (0..count).filter(|&i| {
                state[i] == State::Waiting
                    && dependencies[i].iter().all(|&d| state[d] == State::Done)
            });
            for i in ready
                .take(plan.concurrency.saturating_sub(running))
                .collect::<Vec<_>>()
            {
                state[i] = State::Running;
                let mut task_shell = shell.forwarding(&sender);
                let aws = aws.clone();
                let options = options.clone();
                let mut staging = staging.clone();
                let tracker = tracker.clone();
                let input = plan.stacks[i].clone();
                tasks.spawn_local(async move {
                    let result = deploy_one(
                        &mut task_shell,
                        &aws,
                        &options,
                        &mut staging,
                        &tracker,
                        &input,
                        (i + 1, count),
                    )
                    .await;
                    tracker.finish(&input.name);
                    (i, result, staging)
                });
            }
        }
        if tasks.is_empty() {
            return Ok(());
        }
        tokio::select! {
            biased;
            Some(text) = receiver.recv() => write(shell, text)?,
            Some(joined) = tasks.join_next() => {
                let (i, result, task_staging) = match joined {
                    Ok(finished) => finished,
                    Err(error) => std::panic::resume_unwind(error.into_panic()),
                };
                // Everything the task wrote was sent before it finished.
                while let Ok(text) = receiver.try_recv() {
                    write(shell, text)?;
                }
                staging.merge(task_staging);
                state[i] = if result.is_ok() { State::Done } else { State::Failed };
                run.finish(shell, &plan.stacks[i], i, result)?;
            }
        }
    }
}

/// Writes a task's output line.
fn write(shell: &mut Shell, text: Forwarded) -> CliResult {
    shell.write_forwarded(text).map_err(CliError::stdout)
}
