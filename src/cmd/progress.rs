//! How a build's progress is shown: a bar per stage on a terminal, plain lines elsewhere (CI
//! logs).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::build::Progress;

pub struct Bars {
    mode: Mode,
    bar: Mutex<Option<ProgressBar>>,
    started: Instant,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Plain,
    Terminal,
}

impl Bars {
    /// Bars on a terminal, plain stage lines otherwise.
    pub fn auto() -> Bars {
        let mode = if std::io::stderr().is_terminal() {
            Mode::Terminal
        } else {
            Mode::Plain
        };
        Bars {
            mode,
            bar: Mutex::new(None),
            started: Instant::now(),
        }
    }
}

impl Progress for Bars {
    fn stage(&self, name: &str) {
        match self.mode {
            Mode::Plain => eprintln!("[{:>6.2}s] {name}", self.started.elapsed().as_secs_f64()),
            Mode::Terminal => {
                if let Some(bar) = self.bar.lock().unwrap().as_ref() {
                    bar.set_message(name.to_string());
                }
            }
        }
    }

    /// Reports `n` of `total` pages done; the bar appears only once a build has run a second.
    fn tick(&self, n: usize, total: usize) {
        if self.mode != Mode::Terminal || self.started.elapsed() < Duration::from_secs(1) {
            return;
        }
        let mut guard = self.bar.lock().unwrap();
        let bar = guard.get_or_insert_with(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(crate::zh_en!(
                    "{msg:8} [{bar:40}] {pos}/{len} 页 {elapsed}",
                    "{msg:8} [{bar:40}] {pos}/{len} pages {elapsed}"
                ))
                .unwrap()
                .progress_chars("=> "),
            );
            bar.set_message(crate::zh_en!("生成页面", "rendering"));
            bar
        });
        bar.set_position(n as u64);
    }

    fn finish_ticks(&self) {
        if let Some(bar) = self.bar.lock().unwrap().take() {
            bar.finish_and_clear();
        }
    }
}
