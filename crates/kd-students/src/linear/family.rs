//! The linear students' kinds and fits: `linear` from [`LinearParams`], `logistic` from
//! [`LogisticSettings`] (binary, with an optional quantile-bin scorecard, or multinomial on a
//! multiclass task). Their [`FittedStudent`](crate::FittedStudent) answers are in `student.rs`.

use kd_core::Task;
use kd_core::data::{FormedTarget, TargetForm};
use serde::{Deserialize, Serialize};

use super::{Linear, LinearParams, Logistic, LogisticParams, Multinomial};
use crate::error::{Result, check_l2, invalid_parameter};
use crate::scorecard::{QuantileScorecard, ScorecardScaling};
use crate::student::{Family, FitInput, KindSpec, Student, StudentKind, class_one_probability, column};

/// The `linear` kind: regression on numeric features.
pub(crate) const LINEAR_KIND: KindSpec = KindSpec {
    name: "linear",
    supports: |task| task == Task::Regression,
    needs: "fits regression tasks (use logistic, tree or gam)",
    takes_missing: false,
    numeric_only: true,
    classification_target: class_one_probability,
};

/// The `logistic` kind: classes on numeric features; `P(class 1)` through the logit on a binary
/// task, all class probabilities (multinomial) on a multiclass one.
pub(crate) const LOGISTIC_KIND: KindSpec = KindSpec {
    name: "logistic",
    supports: Task::is_classification,
    needs: "needs classes (use linear, tree or gam)",
    takes_missing: false,
    numeric_only: true,
    classification_target: |task, _| match task {
        Task::Multiclass(_) => TargetForm::ClassProbabilities,
        _ => TargetForm::ClassOneProbability,
    },
};

/// Parameters of the logistic student.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `logistic` | L2 0, 100 iterations | the regression (binary or multinomial) |
/// | `points` | none | a quantile-bin scorecard of the fitted model (binary tasks) |
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct LogisticSettings {
    /// The regression.
    pub logistic: LogisticParams,
    /// The quantile-bin scorecard to make from it.
    pub points: Option<PointsTableParams>,
}

/// Parameters of a logistic student's quantile-bin scorecard
/// ([`QuantileScorecard`](crate::scorecard::QuantileScorecard)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PointsTableParams {
    /// Quantile bins per feature (at least 1).
    pub bins: usize,
    /// The points scale.
    pub scaling: ScorecardScaling,
}

impl Family for LinearParams {
    fn kind(&self) -> StudentKind {
        StudentKind::Linear
    }
    fn check(&self) -> Result<()> {
        check_l2(self.l2)
    }
    fn fit(&self, input: &FitInput<'_, '_>, formed: FormedTarget) -> Result<Student> {
        Ok(Student::Linear(Linear::fit(self, input.x, column(formed)?.view(), input.names)?))
    }
}

impl Family for LogisticSettings {
    fn kind(&self) -> StudentKind {
        StudentKind::Logistic
    }
    fn check(&self) -> Result<()> {
        check_l2(self.logistic.l2)?;
        match &self.points {
            Some(points) if points.bins == 0 => Err(invalid_parameter("scorecard", "0 bins (at least 1)")),
            Some(points) => points.scaling.check(),
            None => Ok(()),
        }
    }
    fn check_task(&self, task: Task) -> Result<()> {
        if self.points.is_some() && task != Task::Binary {
            return Err(invalid_parameter(
                "scorecard",
                format!("scorecards need a binary task, and this one is {}", task.name()),
            ));
        }
        Ok(())
    }
    fn fit(&self, input: &FitInput<'_, '_>, formed: FormedTarget) -> Result<Student> {
        let (x, names) = (input.x, input.names);
        if let Task::Multiclass(_) = input.task {
            let t = formed.into_matrix();
            return Ok(Student::Multinomial(Multinomial::fit(&self.logistic, x, t.view(), names)?));
        }
        let mut model = Logistic::fit(&self.logistic, x, column(formed)?.view(), names)?;
        if let Some(points) = self.points {
            model.scorecard = Some(QuantileScorecard::new(&model, x, names, points.bins, points.scaling)?);
        }
        Ok(Student::Logistic(model))
    }
}
