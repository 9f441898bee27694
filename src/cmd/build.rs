//! `gongkai build`: build the site, print the warnings and a one-line summary, or the errors
//! and that nothing was written.

use std::process::ExitCode;

use crate::build::{self, BuildOptions};
use crate::diagnostics;

use super::check::print_diagnostics_to_stderr;

pub fn run(opts: &BuildOptions) -> ExitCode {
    match build::build(opts) {
        Ok(report) => {
            print_diagnostics_to_stderr(&report.diagnostics, &opts.root);
            println!("{}", report.summary());
            // Beside the progress lines: the summary stays the one line on stdout.
            eprintln!("  {}", report.breakdown());
            ExitCode::SUCCESS
        }
        Err(fail) => {
            print_diagnostics_to_stderr(&fail.diagnostics, &opts.root);
            let n = diagnostics::count_errors(&fail.diagnostics);
            eprintln!(
                "{}",
                crate::zh_en!(
                    format!("构建失败：{n} 个错误，未写出任何文件"),
                    format!("build failed: {n} errors, nothing written")
                )
            );
            ExitCode::FAILURE
        }
    }
}
