//! A spinner on stderr while a subcommand works, hidden when stderr is not a terminal
//! (indicatif checks), cleared when the work is done so that only the result remains.

use std::time::{Duration, Instant};

use indicatif::{HumanDuration, ProgressBar, ProgressStyle};

/// The spinner of one subcommand run.
pub struct Progress(ProgressBar);

impl Progress {
    /// Starts a spinner showing `message`.
    pub fn start(message: &str) -> Self {
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(message.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        Self(bar)
    }

    /// Shows the next step.
    pub fn step(&self, message: &str) {
        self.0.set_message(message.to_owned());
    }

    /// Shows `what`, `done` of `total` units finished since `since`, and the time left at the
    /// pace so far.
    pub fn share(&self, what: &str, done: usize, total: usize, since: Instant) {
        let elapsed = since.elapsed().as_secs_f64();
        let left = if done > 0 && total > done {
            let seconds = elapsed * (total - done) as f64 / done as f64;
            format!(", about {} left", HumanDuration(Duration::from_secs_f64(seconds.round())))
        } else {
            String::new()
        };
        self.0.set_message(format!("{what}: {done} of {total}{left}"));
    }
}

impl Progress {
    /// Clears the spinner and gives the seconds since it started: the run's wall time.
    pub fn finish(self) -> f64 {
        self.0.elapsed().as_secs_f64()
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
