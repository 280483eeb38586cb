//! The curves the spread chart draws over the measured one: what theory predicts for
//! the fraction of nodes informed after each round.

use gossip_heartbeat::Mode;

use crate::math;

/// The mean-field model of the papers' synchronous rounds, with Cassandra's
/// three-message exchange: each round every node opens exchanges with `fanout`
/// random peers, and each message is lost with probability `loss`. With `s` the
/// uninformed fraction, an uninformed node stays so if none of its own exchanges
/// pulls the news (each needs Syn and Ack, from an informed peer) and no informed
/// node pushes it (Syn, Ack and Ack2; about Poisson(fanout · (1 − s)) of them pick
/// it):
///
/// s′ = s · (1 − (1 − s)(1 − loss)²)^fanout · e^(−fanout · (1 − s)(1 − loss)³)
///
/// with only the pull factor in pull mode and only the push factor in push mode.
/// Returns the informed fraction after rounds 0 to `rounds`.
pub fn mean_field(n: u32, fanout: u32, loss: f64, mode: Mode, rounds: usize) -> Vec<f64> {
    let n = f64::from(n.max(1));
    let f = f64::from(fanout);
    let kept = 1.0 - loss.clamp(0.0, 1.0);
    let mut s = 1.0 - 1.0 / n;
    let mut out = Vec::with_capacity(rounds + 1);
    out.push(1.0 - s);
    for _ in 0..rounds {
        let informed = 1.0 - s;
        let pull = (1.0 - informed * kept * kept).powi(fanout as i32);
        let push = math::exp(-f * informed * kept * kept * kept);
        s *= match mode {
            Mode::Push => push,
            Mode::Pull => pull,
            Mode::PushPull => pull * push,
        };
        // Below one node in expectation, everyone is informed.
        if s * n < 0.5 {
            s = 0.0;
        }
        out.push(1.0 - s);
    }
    out
}

/// Serf's "convergence simulator" curve: contact = fanout / N · (1 − loss) · 0.5,
/// and the converged fraction after x rounds is 1 / (1 + (N + 1) · e^(−contact·N·x)).
pub fn serf(n: u32, fanout: u32, loss: f64, rounds: usize) -> Vec<f64> {
    let n = f64::from(n.max(1));
    let contact = f64::from(fanout) / n * (1.0 - loss.clamp(0.0, 1.0)) * 0.5;
    (0..=rounds)
        .map(|x| 1.0 / (1.0 + (n + 1.0) * math::exp(-contact * n * x as f64)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// REFERENCE.md: mean fraction informed after each round at N = 1000,
    /// push-pull, one partner a round.
    #[test]
    fn push_pull_follows_the_reference_table_at_1000_nodes() {
        let curve = mean_field(1000, 1, 0.0, Mode::PushPull, 10);
        let reference = [
            (2, 0.009),
            (4, 0.077),
            (6, 0.48),
            (7, 0.81),
            (8, 0.977),
            (9, 0.9994),
        ];
        for (round, expected) in reference {
            let got = curve[round];
            assert!(
                (got - expected).abs() < 0.05 + expected * 0.1,
                "round {round}: {got} vs {expected}"
            );
        }
        assert_eq!(curve[10], 1.0);
    }

    #[test]
    fn push_is_slower_than_pull_is_slower_than_push_pull_and_loss_slows_all() {
        let done = |curve: Vec<f64>| curve.iter().position(|&f| f >= 1.0).unwrap();
        let push = done(mean_field(100, 1, 0.0, Mode::Push, 60));
        let pull = done(mean_field(100, 1, 0.0, Mode::Pull, 60));
        let both = done(mean_field(100, 1, 0.0, Mode::PushPull, 60));
        assert!(push > pull && pull > both, "{push} {pull} {both}");
        assert!(done(mean_field(100, 1, 0.3, Mode::PushPull, 60)) > both);
    }

    /// REFERENCE.md: with its defaults (N = 30, fanout 3) Serf says 9 rounds.
    #[test]
    fn serf_matches_its_own_defaults() {
        let curve = serf(30, 3, 0.0, 20);
        // Serf calls 99.99 % converged.
        let rounds = curve.iter().position(|&f| f >= 0.9999).unwrap();
        assert_eq!(rounds, 9);
        assert!(curve.windows(2).all(|w| w[0] < w[1]));
    }
}
