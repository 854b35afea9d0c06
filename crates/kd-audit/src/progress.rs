//! Progress of an audit, reported to an [`Observer`] (the library never prints; the CLI writes
//! it to stderr), with an estimate of the time left.
//!
//! The estimate: each stage has an a-priori cost in work units (rows × features × fits, from
//! the spec); seconds per unit are learnt from the stages already done, so the estimate
//! tightens as the audit goes.

use std::sync::Mutex;
use std::time::Instant;

/// An event of the audit.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A stage started.
    Started {
        /// Its name.
        stage: &'static str,
        /// Estimated seconds left for the whole audit (`None` before any stage has finished).
        left: Option<f64>,
    },
    /// A stage finished.
    Finished {
        /// Its name.
        stage: &'static str,
        /// Its wall time.
        seconds: f64,
        /// Estimated seconds left.
        left: Option<f64>,
    },
}

/// Receives the audit's events (from several threads when stages run in parallel).
pub trait Observer: Sync {
    /// Called at every event.
    fn event(&self, event: Event);
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {
    fn event(&self, _: Event) {}
}

/// The stages' planned costs and what has been spent.
pub(crate) struct Plan<'a> {
    observer: &'a dyn Observer,
    state: Mutex<State>,
}

struct State {
    /// (stage, planned units, done)
    stages: Vec<(&'static str, f64, bool)>,
    done_units: f64,
    /// Seconds spent in the stages counted in `done_units`.
    done_seconds: f64,
}

/// The stage whose time does not calibrate the estimate.
const TEACHER: &str = "teacher";

impl<'a> Plan<'a> {
    pub fn new(observer: &'a dyn Observer, stages: Vec<(&'static str, f64)>) -> Self {
        let stages = stages.into_iter().map(|(s, u)| (s, u.max(1.0), false)).collect();
        Self { observer, state: Mutex::new(State { stages, done_units: 0.0, done_seconds: 0.0 }) }
    }

    fn left(&self, state: &State) -> Option<f64> {
        if state.done_units <= 0.0 {
            return None;
        }
        let remaining: f64 = state.stages.iter().filter(|s| !s.2 && s.0 != TEACHER).map(|s| s.1).sum();
        Some(remaining * state.done_seconds / state.done_units)
    }

    /// Runs `work` as stage `stage`, reporting its start and end; returns its result and time.
    pub fn stage<T>(&self, stage: &'static str, work: impl FnOnce() -> T) -> (T, f64) {
        let left = self.state.lock().map(|s| self.left(&s)).unwrap_or(None);
        self.observer.event(Event::Started { stage, left });
        let start = Instant::now();
        let out = work();
        let seconds = start.elapsed().as_secs_f64();
        let left = match self.state.lock() {
            Ok(mut s) => {
                if let Some(entry) = s.stages.iter_mut().find(|e| e.0 == stage) {
                    entry.2 = true;
                    let units = entry.1;
                    if stage != TEACHER {
                        s.done_units += units;
                        s.done_seconds += seconds;
                    }
                }
                self.left(&s)
            }
            Err(_) => None,
        };
        self.observer.event(Event::Finished { stage, seconds, left });
        (out, seconds)
    }
}
