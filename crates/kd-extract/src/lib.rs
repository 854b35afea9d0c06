//! kd-extract: decision trees and rule sets extracted from a black box by querying it
//! (Bastani et al. 2017; TREPAN; MUNGE; BETA).
//!
//! Not written yet: this crate holds no extraction method so far (see the README's list of what
//! does not work yet). It depends on kd-core (and will on kd-students), never on libtorch.
