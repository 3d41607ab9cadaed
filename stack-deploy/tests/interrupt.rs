//! Ctrl-C or SIGTERM (what CI sends on cancel) during a real deploy: the `stack-deploy`
//! binary, run on the PhotoSky app's cloud assembly as the `photosky` binary hands it on,
//! updates its stack on a scripted CloudFormation endpoint that keeps the update in
//! progress, gets the signal while it watches, and must stop watching, leave the stack
//! alone, and say how to go on.
//!
//! The endpoint is a small HTTP server here rather than moto, because moto finishes every
//! operation before it answers and so never has an update in progress to interrupt.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use photosky::{PhotoSky, PhotoSkyProps};
use stack_app::{run_with, AppSpec, BuildError, Context, Env, Shell};
use stack_core::App;

const STACK_ID: &str =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/PhotoSky/5b9d1f60-8a2e-11f1-9d3c-0a1b2c3d4e5f";

/// The actions the endpoint was called with, in order.
type Calls = Arc<Mutex<Vec<String>>>;

/// Serves awsQuery CloudFormation calls on a free loopback port: a deployed `PhotoSky`
/// with an empty template, whose update, once started, never finishes.
fn start_endpoint() -> (u16, Calls) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let calls: Calls = Arc::default();
    let served = Arc::clone(&calls);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let calls = Arc::clone(&served);
            std::thread::spawn(move || serve(stream.unwrap(), &calls));
        }
    });
    (port, calls)
}

/// Answers the requests of one keep-alive connection.
fn serve(stream: TcpStream, calls: &Calls) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut length = 0;
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap();
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let body = String::from_utf8(body).unwrap();
        let action = body
            .split('&')
            .find_map(|pair| pair.strip_prefix("Action="))
            .unwrap_or("?")
            .to_owned();
        let (status, answer) = {
            let mut calls = calls.lock().unwrap();
            let updating = calls.iter().any(|c| c == "UpdateStack");
            calls.push(action.clone());
            answer(&action, updating)
        };
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n{answer}",
            answer.len()
        );
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

fn answer(action: &str, updating: bool) -> (&'static str, String) {
    let ok = |body: String| ("200 OK", body);
    match action {
        "DescribeStacks" => {
            let status = if updating {
                "UPDATE_IN_PROGRESS"
            } else {
                "CREATE_COMPLETE"
            };
            ok(format!(
                "<DescribeStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\
                 <DescribeStacksResult><Stacks><member><StackId>{STACK_ID}</StackId>\
                 <StackName>PhotoSky</StackName><CreationTime>2026-11-22T10:00:00.123Z</CreationTime>\
                 <StackStatus>{status}</StackStatus><DisableRollback>false</DisableRollback>\
                 <NotificationARNs/><Tags/></member></Stacks></DescribeStacksResult>\
                 <ResponseMetadata><RequestId>1a2b3c4d-0000-4000-8000-000000000001</RequestId>\
                 </ResponseMetadata></DescribeStacksResponse>"
            ))
        }
        "GetTemplate" => ok(
            "<GetTemplateResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\
             <GetTemplateResult><TemplateBody>{\"Resources\": {}}</TemplateBody></GetTemplateResult>\
             <ResponseMetadata><RequestId>1a2b3c4d-0000-4000-8000-000000000002</RequestId>\
             </ResponseMetadata></GetTemplateResponse>"
                .to_owned(),
        ),
        "DescribeStackEvents" => ok(
            "<DescribeStackEventsResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\
             <DescribeStackEventsResult><StackEvents/></DescribeStackEventsResult>\
             <ResponseMetadata><RequestId>1a2b3c4d-0000-4000-8000-000000000003</RequestId>\
             </ResponseMetadata></DescribeStackEventsResponse>"
                .to_owned(),
        ),
        "UpdateStack" => ok(format!(
            "<UpdateStackResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\
             <UpdateStackResult><StackId>{STACK_ID}</StackId></UpdateStackResult>\
             <ResponseMetadata><RequestId>1a2b3c4d-0000-4000-8000-000000000004</RequestId>\
             </ResponseMetadata></UpdateStackResponse>"
        )),
        other => (
            "400 Bad Request",
            format!(
                "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\
                 <Error><Type>Sender</Type><Code>ValidationError</Code>\
                 <Message>the test endpoint does not expect {other}</Message></Error>\
                 <RequestId>1a2b3c4d-0000-4000-8000-000000000005</RequestId></ErrorResponse>"
            ),
        ),
    }
}

#[test]
fn ctrl_c_while_an_update_runs_stops_watching_and_says_how_to_go_on() {
    interrupt_an_update("-INT");
}

#[test]
fn sigterm_while_an_update_runs_is_treated_like_ctrl_c() {
    interrupt_an_update("-TERM");
}

/// Writes the PhotoSky app's cloud assembly into `dir/stack.out`, as the `photosky` binary
/// does before it hands `deploy` on, and returns its path.
fn synthesize(dir: &std::path::Path) -> std::path::PathBuf {
    fn build(ctx: &Context) -> Result<App, BuildError> {
        let props = PhotoSkyProps {
            app_name: ctx.get("app_name")?,
            image_uri: ctx.get_optional("image_uri"),
        };
        Ok(App::new().stack(PhotoSky::new(props.app_name.clone(), &props)))
    }
    let spec = AppSpec::new("photosky").context_default("app_name", "PhotoSky");
    let args = [
        "photosky",
        "synth",
        "--context",
        "image_uri=123456789012.dkr.ecr.us-east-1.amazonaws.com/photosky:v1",
    ];
    let env = Env::from_vars(Vec::<(String, String)>::new()).with_cwd(dir);
    let mut shell = Shell::buffered();
    let code = run_with(spec, args, &env, &mut shell, build);
    assert_eq!(code, 0, "{}", shell.stderr_text());
    dir.join("stack.out")
}

/// Deploys, sends `signal` (a `kill` option) once the update is being watched, and checks
/// what the deploy said and did.
fn interrupt_an_update(signal: &str) {
    let (port, calls) = start_endpoint();
    let dir =
        std::env::temp_dir().join(format!("photosky-interrupt{signal}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let assembly = synthesize(&dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_stack-deploy"))
        .args([
            "--app",
            assembly.to_str().unwrap(),
            "deploy",
            "--method",
            "direct",
            "--require-approval",
            "never",
            "--progress",
            "events",
        ])
        .current_dir(&dir)
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"))
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", dir.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-credentials"))
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let output = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).unwrap();
        text
    });

    // Wait until the update was started and is being watched.
    let started = Instant::now();
    loop {
        let watching = {
            let calls = calls.lock().unwrap();
            let update = calls.iter().position(|c| c == "UpdateStack");
            update.is_some_and(|at| calls[at..].iter().any(|c| c == "DescribeStacks"))
        };
        if watching {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "deploy ended ({status}) before the interrupt: {}",
                output.join().unwrap()
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "deploy did not start watching the update; calls: {:?}",
            calls.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "deploy did not stop after {signal}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let err = output.join().unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "stopped watching; CloudFormation goes on updating `PhotoSky`. Run `photosky deploy \
             PhotoSky` to wait for it and continue; to roll back now, run `aws cloudformation \
             cancel-update-stack --stack-name PhotoSky`"
        ),
        "{err}"
    );
    // Nothing was cancelled, rolled back or deleted: the update was left to CloudFormation.
    let calls = calls.lock().unwrap();
    assert_eq!(calls.iter().filter(|c| *c == "UpdateStack").count(), 1);
    let expected = [
        "DescribeStacks",
        "GetTemplate",
        "DescribeStackEvents",
        "UpdateStack",
    ];
    assert!(
        calls.iter().all(|c| expected.contains(&c.as_str())),
        "{calls:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
