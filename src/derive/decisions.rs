//! Major decisions on the day of a build: which stages of the procedure are done and
//! whether the public consultation is open.

use chrono::NaiveDate;

use crate::model::Decision;

/// A stage of the decision procedure (重大行政决策程序暂行条例), in the order they happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageKind {
    Consultation,
    Hearing,
    ExpertReview,
    RiskAssessment,
    LegalityReview,
    CollectiveDecision,
    Publication,
    Evaluation,
}

impl StageKind {
    /// What the feed of decisions calls the stage when it begins.
    pub fn label(self) -> &'static str {
        match self {
            StageKind::Consultation => "公开征求意见",
            StageKind::Hearing => "听证",
            StageKind::ExpertReview => "专家论证",
            StageKind::RiskAssessment => "风险评估",
            StageKind::LegalityReview => "合法性审查",
            StageKind::CollectiveDecision => "集体讨论决定",
            StageKind::Publication => "决策公布",
            StageKind::Evaluation => "决策后评估",
        }
    }

    /// Its part of a feed entry's id: stable, ASCII.
    pub fn key(self) -> &'static str {
        match self {
            StageKind::Consultation => "consultation",
            StageKind::Hearing => "hearing",
            StageKind::ExpertReview => "expert-review",
            StageKind::RiskAssessment => "risk-assessment",
            StageKind::LegalityReview => "legality-review",
            StageKind::CollectiveDecision => "collective-decision",
            StageKind::Publication => "publication",
            StageKind::Evaluation => "evaluation",
        }
    }
}

/// A stage the record gives, with its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stage {
    pub kind: StageKind,
    pub date: NaiveDate,
    /// The last day, for a stage that runs over a period (the consultation).
    pub end: Option<NaiveDate>,
    /// Whether it was over by the day of the build.
    pub done: bool,
}

/// A decision as of a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionState {
    /// The stages the record gives, in procedure order.
    pub stages: Vec<Stage>,
    /// Whether the public can comment today.
    pub consultation_open: bool,
}

pub fn decision_state(d: &Decision, today: NaiveDate) -> DecisionState {
    let mut stages = Vec::new();
    let mut push = |kind, date: NaiveDate, end: Option<NaiveDate>| {
        stages.push(Stage {
            kind,
            date,
            end,
            done: end.unwrap_or(date) <= today,
        })
    };
    if let Some(c) = &d.consultation {
        push(StageKind::Consultation, c.start, Some(c.end));
    }
    if let Some(h) = &d.hearing {
        push(StageKind::Hearing, h.date, None);
    }
    if let Some(e) = &d.expert_review {
        push(StageKind::ExpertReview, e.date, None);
    }
    if let Some(r) = &d.risk_assessment {
        push(StageKind::RiskAssessment, r.date, None);
    }
    if let Some(l) = &d.legality_review {
        push(StageKind::LegalityReview, l.date, None);
    }
    if let Some(c) = &d.collective_decision {
        push(StageKind::CollectiveDecision, c.date, None);
    }
    if let Some(p) = &d.publication {
        push(StageKind::Publication, p.date, None);
    }
    if let Some(e) = &d.evaluation {
        push(StageKind::Evaluation, e.date, None);
    }
    DecisionState {
        stages,
        consultation_open: d
            .consultation
            .as_ref()
            .is_some_and(|c| c.start <= today && today <= c.end),
    }
}
