//! The simulator's UnpinnedBaseImage: a base image without a tag (Docker's implied
//! `latest`) or with `latest`, which moves under the Dockerfile.

use super::{Cx, Sink};
use crate::catalog::Reference;
use crate::diagnostics::Severity;
use crate::plan::Base;

pub(super) fn check(cx: &Cx<'_>, sink: &mut Sink) {
    for stage in &cx.report.plan.stages {
        let Base::Image(reference) = &stage.base else { continue };
        let r = Reference::parse(reference);
        if r.digest.is_some() {
            continue;
        }
        let message = match r.tag.as_deref() {
            None => format!(
                "{reference} has no tag, so Docker uses {reference}:latest, which changes over time; \
                 name a version so the build is repeatable"
            ),
            Some(t) if t.eq_ignore_ascii_case("latest") => format!(
                "{reference} follows the latest release, which changes over time; name a version so the build is repeatable"
            ),
            _ => continue,
        };
        sink.simulator("UnpinnedBaseImage", Severity::Warning, stage.base_span, message, None);
    }
}
