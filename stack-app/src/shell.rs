//! All output of the CLI: results on stdout, diagnostics on stderr, and colour only where
//! someone can see it.

use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex};

use clap::builder::StyledStr;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;

use crate::env::Env;

/// When to colour output (`--color`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour terminals, unless `NO_COLOR` is set; `CLICOLOR_FORCE` colours anything.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// How a piece of text is highlighted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Bold red: `error:`.
    Error,
    /// Bold yellow: `warning:`.
    Warning,
    /// Bold cyan: `note:`.
    Note,
    /// Bold.
    Bold,
    /// Green: what is added or done.
    Success,
    /// Red: what is removed.
    Removed,
}

impl Style {
    fn ansi(self) -> &'static str {
        match self {
            Style::Error => "\x1b[1;31m",
            Style::Warning => "\x1b[1;33m",
            Style::Note => "\x1b[1;36m",
            Style::Bold => "\x1b[1m",
            Style::Success => "\x1b[32m",
            Style::Removed => "\x1b[31m",
        }
    }
}

const RESET: &str = "\x1b[0m";

enum Sink {
    Stdout,
    Stderr,
    /// Shared with the [`Notifier`]s of the shell.
    Buffer(Arc<Mutex<Vec<u8>>>),
    /// Sent to the shell that made this one, which writes it (see [`Shell::forwarding`]).
    Forward {
        to: UnboundedSender<Forwarded>,
        stderr: bool,
    },
}

/// Text written by a [`Shell::forwarding`] shell, for the shell that made it to write.
/// Each is whole lines (a status line, a diagnostic), so lines from shells that run at
/// the same time never mix.
#[derive(Debug)]
pub enum Forwarded {
    /// Lines for stdout.
    Out(String),
    /// Lines for stderr.
    Err(String),
    /// A yes/no question for the shell that made the forwarding one to ask; the answer
    /// goes back through `reply`.
    Ask {
        /// The question, without the `[y/N]`.
        question: String,
        /// Where the answer goes; `None` when nobody can answer.
        reply: oneshot::Sender<Option<bool>>,
    },
}

struct Stream {
    sink: Sink,
    tty: bool,
    color: bool,
}

/// Where answers to questions come from.
enum Input {
    /// The process's stdin, when it and stderr are terminals.
    Stdin,
    /// Scripted answers, one line each, for tests.
    Script(Vec<String>),
    /// The shell that made this one asks (see [`Shell::forwarding`]).
    Forward(UnboundedSender<Forwarded>),
    /// Nobody to ask.
    None,
}

impl Stream {
    fn new(sink: Sink) -> Self {
        let tty = match sink {
            Sink::Stdout => io::stdout().is_terminal(),
            Sink::Stderr => io::stderr().is_terminal(),
            Sink::Buffer(_) | Sink::Forward { .. } => false,
        };
        Self {
            sink,
            tty,
            color: false,
        }
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout => {
                let mut out = io::stdout().lock();
                out.write_all(bytes)?;
                out.flush()
            }
            Sink::Stderr => {
                let mut err = io::stderr().lock();
                err.write_all(bytes)?;
                err.flush()
            }
            Sink::Buffer(buffer) => {
                lock(buffer).extend_from_slice(bytes);
                Ok(())
            }
            Sink::Forward { to, stderr } => {
                let text = String::from_utf8_lossy(bytes).into_owned();
                let message = if *stderr {
                    Forwarded::Err(text)
                } else {
                    Forwarded::Out(text)
                };
                // The receiving shell is gone only when the run is being torn down.
                to.send(message)
                    .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "output closed"))
            }
        }
    }

    fn text(&self) -> String {
        match &self.sink {
            Sink::Buffer(buffer) => String::from_utf8_lossy(&lock(buffer)).into_owned(),
            Sink::Stdout | Sink::Stderr | Sink::Forward { .. } => String::new(),
        }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{RESET}", style.ansi())
        } else {
            text.to_owned()
        }
    }

    fn styled(&self, text: &StyledStr) -> String {
        if self.color {
            text.ansi().to_string()
        } else {
            text.to_string()
        }
    }
}

/// Where the CLI writes: results to stdout; errors, warnings and notes to stderr.
///
/// [`Shell::stdio`] writes to the process's streams; [`Shell::buffered`] keeps everything
/// in memory for tests. Colour is off until [`Shell::set_color`] decides otherwise.
pub struct Shell {
    out: Stream,
    err: Stream,
    input: Input,
    quiet: bool,
    /// Whether the last thing written to stderr is a live status line that the next
    /// write replaces.
    live: bool,
}

impl Shell {
    /// A shell on the process's stdout and stderr.
    pub fn stdio() -> Self {
        let err = Stream::new(Sink::Stderr);
        let input = if err.tty && io::stdin().is_terminal() {
            Input::Stdin
        } else {
            Input::None
        };
        Self {
            out: Stream::new(Sink::Stdout),
            err,
            input,
            quiet: false,
            live: false,
        }
    }

    /// A shell that records its output in memory, as if neither stream were a terminal.
    pub fn buffered() -> Self {
        Self {
            out: Stream::new(Sink::Buffer(Arc::default())),
            err: Stream::new(Sink::Buffer(Arc::default())),
            input: Input::None,
            quiet: false,
            live: false,
        }
    }

    /// A shell for one of several tasks that run at once: it sends what it writes to `to`,
    /// for this shell to write with [`Shell::write_forwarded`]. It colours and quiets like
    /// this shell, but behaves as if neither stream were a terminal (no live status line).
    /// Its questions ([`Shell::ask`]) are sent too, and asked here one at a time, when this
    /// shell can ask.
    pub fn forwarding(&self, to: &UnboundedSender<Forwarded>) -> Self {
        let stream = |stderr: bool, color: bool| Stream {
            sink: Sink::Forward {
                to: to.clone(),
                stderr,
            },
            tty: false,
            color,
        };
        Self {
            out: stream(false, self.out.color),
            err: stream(true, self.err.color),
            input: if self.is_interactive() {
                Input::Forward(to.clone())
            } else {
                Input::None
            },
            quiet: self.quiet,
            live: false,
        }
    }

    /// Writes what a [`Shell::forwarding`] shell sent.
    pub fn write_forwarded(&mut self, text: Forwarded) -> io::Result<()> {
        match text {
            Forwarded::Out(text) => self.out.write(text.as_bytes()),
            Forwarded::Err(text) => {
                self.clear_live();
                self.err_write(&text);
                Ok(())
            }
            Forwarded::Ask { question, reply } => {
                // The task that asked may be gone when the run is being torn down.
                let _ = reply.send(self.confirm(&question));
                Ok(())
            }
        }
    }

    /// Makes a buffered shell interactive: each question is answered with the next line
    /// of `answers` (`y`, `n`, ...), and is recorded on stderr like a real prompt.
    #[must_use]
    pub fn with_answers<I, S>(mut self, answers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut answers: Vec<String> = answers.into_iter().map(Into::into).collect();
        answers.reverse();
        self.input = Input::Script(answers);
        self
    }

    /// Decides, for each stream, whether to colour it.
    ///
    /// `Always` and `Never` are final. `Auto` is off when `NO_COLOR` is non-empty, on when
    /// `CLICOLOR_FORCE` is non-empty and not `0`, off when `CLICOLOR` is `0`, and otherwise
    /// on only for a terminal whose `TERM` is not `dumb`: the order `anstream`, and so
    /// clap, uses.
    pub fn set_color(&mut self, choice: ColorChoice, env: &Env) {
        let set = |name: &str| env.var(name).is_some_and(|v| !v.is_empty());
        let decide = |tty: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                if set("NO_COLOR") {
                    false
                } else if set("CLICOLOR_FORCE") && env.var("CLICOLOR_FORCE").as_deref() != Some("0")
                {
                    true
                } else if env.var("CLICOLOR").as_deref() == Some("0") {
                    false
                } else {
                    tty && env.var("TERM").as_deref() != Some("dumb")
                }
            }
        };
        self.out.color = decide(self.out.tty);
        self.err.color = decide(self.err.tty);
    }

    /// Suppresses summaries, warnings and notes; errors and requested data still print.
    pub fn set_quiet(&mut self, quiet: bool) {
        self.quiet = quiet;
    }

    /// Whether summaries, warnings and notes are suppressed.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Whether stdout is a terminal.
    pub fn out_is_tty(&self) -> bool {
        self.out.tty
    }

    /// Whether stderr is a terminal, where progress is redrawn in place.
    pub fn err_is_tty(&self) -> bool {
        self.err.tty
    }

    /// Whether questions can be asked: stdin and stderr are terminals, or answers were
    /// scripted with [`Shell::with_answers`].
    pub fn is_interactive(&self) -> bool {
        !matches!(self.input, Input::None)
    }

    /// Whether stdout is coloured.
    pub fn out_color(&self) -> bool {
        self.out.color
    }

    /// Whether stderr is coloured.
    pub fn err_color(&self) -> bool {
        self.err.color
    }

    /// Everything written to stdout so far, for a buffered shell; empty otherwise.
    pub fn stdout_text(&self) -> String {
        self.out.text()
    }

    /// Everything written to stderr so far, for a buffered shell; empty otherwise.
    pub fn stderr_text(&self) -> String {
        self.err.text()
    }

    /// Writes result data to stdout as is.
    pub fn out(&mut self, text: &str) -> io::Result<()> {
        self.out.write(text.as_bytes())
    }

    /// `text` styled for stderr: escape codes only when stderr is coloured.
    pub fn paint_err(&self, style: Style, text: &str) -> String {
        self.err.paint(style, text)
    }

    /// A line of progress or status on stderr, unless quiet. On a terminal it first clears
    /// a live status line, which is then drawn again by the next [`Shell::live`].
    pub fn status(&mut self, line: impl fmt::Display) {
        if self.quiet {
            return;
        }
        self.clear_live();
        self.err_write(&format!("{line}\n"));
    }

    /// Replaces the live status line on a terminal; does nothing elsewhere or when quiet.
    pub fn live(&mut self, line: &str) {
        if self.quiet || !self.err.tty {
            return;
        }
        self.err_write(&format!("\r\x1b[2K{line}"));
        self.live = true;
    }

    /// Removes the live status line, if one is shown.
    pub fn clear_live(&mut self) {
        if self.live {
            self.live = false;
            self.err_write("\r\x1b[2K");
        }
    }

    /// Asks a yes/no question, through the shell that made this one for a forwarding
    /// shell; `None` when nobody can answer (no terminal).
    pub async fn ask(&mut self, question: &str) -> Option<bool> {
        match &self.input {
            Input::Forward(to) => {
                let (reply, answer) = oneshot::channel();
                let question = question.to_owned();
                to.send(Forwarded::Ask { question, reply }).ok()?;
                answer.await.ok().flatten()
            }
            _ => self.confirm(question),
        }
    }

    /// Asks a yes/no question on stderr; `None` when nobody can answer (no terminal).
    /// A forwarding shell answers `None` here: its questions go through [`Shell::ask`].
    pub fn confirm(&mut self, question: &str) -> Option<bool> {
        self.clear_live();
        let answer = match &mut self.input {
            Input::None | Input::Forward(_) => return None,
            Input::Script(answers) => {
                let answer = answers.pop().unwrap_or_default();
                let prompt = format!("{question} [y/N] {answer}\n");
                self.err_write(&prompt);
                answer
            }
            Input::Stdin => {
                self.err_write(&format!("{question} [y/N] "));
                let mut line = String::new();
                if io::stdin().read_line(&mut line).is_err() {
                    return Some(false);
                }
                line
            }
        };
        Some(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
    }

    /// `text` styled for stdout: escape codes only when stdout is coloured.
    pub fn paint_out(&self, style: Style, text: &str) -> String {
        self.out.paint(style, text)
    }

    /// Writes clap's rendered help or version to stdout.
    pub fn out_styled(&mut self, text: &StyledStr) -> io::Result<()> {
        let text = self.out.styled(text);
        self.out.write(text.as_bytes())
    }

    /// Writes clap's rendered usage error to stderr.
    pub fn err_styled(&mut self, text: &StyledStr) {
        let text = self.err.styled(text);
        self.err_write(&text);
    }

    /// Reports an error; printed even when quiet.
    pub fn error(&mut self, message: impl fmt::Display) {
        self.diagnostic(Style::Error, "error", &message);
    }

    /// Reports a warning, unless quiet.
    pub fn warn(&mut self, message: impl fmt::Display) {
        if !self.quiet {
            self.diagnostic(Style::Warning, "warning", &message);
        }
    }

    /// Adds a note, unless quiet.
    pub fn note(&mut self, message: impl fmt::Display) {
        if !self.quiet {
            self.diagnostic(Style::Note, "note", &message);
        }
    }

    /// A handle that adds notes to this shell's stderr from code that cannot borrow the
    /// shell, such as the SDK's retry hooks while a call is under way.
    pub fn notifier(&self) -> Notifier {
        let target = match &self.err.sink {
            Sink::Stdout | Sink::Stderr => NoticeTarget::Stderr,
            Sink::Buffer(buffer) => NoticeTarget::Buffer(Arc::clone(buffer)),
            Sink::Forward { to, .. } => NoticeTarget::Forward(to.clone()),
        };
        Notifier {
            target,
            label: if self.quiet {
                None
            } else {
                Some(self.err.paint(Style::Note, "note"))
            },
            tty: self.err.tty,
        }
    }

    fn diagnostic(&mut self, style: Style, label: &str, message: &dyn fmt::Display) {
        self.clear_live();
        let line = format!("{}: {message}\n", self.err.paint(style, label));
        self.err_write(&line);
    }

    fn err_write(&mut self, text: &str) {
        // Nothing useful can be done when stderr itself is gone; the exit status still
        // reports the failure.
        let _ = self.err.write(text.as_bytes());
    }
}

/// Writes notes where a [`Shell`] writes its diagnostics; made by [`Shell::notifier`].
#[derive(Clone, Debug)]
pub struct Notifier {
    target: NoticeTarget,
    /// The painted `note` label; `None` when the shell is quiet.
    label: Option<String>,
    tty: bool,
}

#[derive(Clone, Debug)]
enum NoticeTarget {
    Stderr,
    Buffer(Arc<Mutex<Vec<u8>>>),
    Forward(UnboundedSender<Forwarded>),
}

impl Notifier {
    /// Writes `note: MESSAGE` on a line of its own, unless the shell is quiet. On a
    /// terminal it overwrites a live status line, which the next update draws again.
    pub fn note(&self, message: impl fmt::Display) {
        let Some(label) = &self.label else {
            return;
        };
        let clear = if self.tty { "\r\x1b[2K" } else { "" };
        let line = format!("{clear}{label}: {message}\n");
        match &self.target {
            NoticeTarget::Stderr => {
                // As for the shell: nothing useful can be done when stderr is gone.
                let mut err = io::stderr().lock();
                let _ = err.write_all(line.as_bytes()).and_then(|()| err.flush());
            }
            NoticeTarget::Buffer(buffer) => lock(buffer).extend_from_slice(line.as_bytes()),
            NoticeTarget::Forward(to) => {
                // The receiving shell is gone only when the run is being torn down.
                let _ = to.send(Forwarded::Err(line));
            }
        }
    }
}

/// The buffer, even after a panic elsewhere while it was held: it only ever holds
/// whole writes.
fn lock(buffer: &Mutex<Vec<u8>>) -> std::sync::MutexGuard<'_, Vec<u8>> {
    buffer
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl fmt::Debug for Shell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shell")
            .field("out_tty", &self.out.tty)
            .field("out_color", &self.out.color)
            .field("err_tty", &self.err.tty)
            .field("err_color", &self.err.color)
            .field("interactive", &self.is_interactive())
            .field("quiet", &self.quiet)
            .finish()
    }
}
