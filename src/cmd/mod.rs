//! The command layer: each `gongkai` subcommand runs the library's stages and is the only
//! code that prints or decides an exit status. main.rs parses the arguments and calls the
//! `run` function of one of these modules.

pub mod build;
pub mod check;
pub mod deadlines;
mod deadlines_output;
pub mod export;
pub mod init;
pub mod new;
pub mod progress;
pub mod requests;
pub mod search;
pub mod serve;

use std::io::IsTerminal;

/// How a command prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people.
    Text,
    /// For scripts: one JSON document on stdout.
    Json,
}

/// A line saying that a command could not go on, in the language of messages.
pub fn error_line(e: &dyn std::fmt::Display) -> String {
    crate::zh_en!(format!("错误：{e}"), format!("error: {e}"))
}

/// Whether output to `stream` may be coloured: a terminal, and no `NO_COLOR`.
pub fn colored(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
