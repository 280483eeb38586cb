//! Float functions for the picture only: ring positions, log-scale charts, the
//! speed slider and the theory curves. Nothing here feeds the simulation, whose math
//! goes through libm in the core.
//!
//! exp and log10 are libm's, the copies the core already puts in the page. Sine and
//! cosine are the browser's `Math` in the page, where Rust's own would add their
//! argument reduction (7 KB of wasm) for a drawing; natively, for the unit tests,
//! std's.

/// e^x.
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// Base-10 logarithm.
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// 10^x, through [`exp`] (a separate `pow` would add its own code).
pub fn exp10(x: f64) -> f64 {
    exp(x * core::f64::consts::LN_10)
}

/// Cosine.
pub fn cos(x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Math::cos(x);
    #[cfg(not(target_arch = "wasm32"))]
    return x.cos();
}

/// Sine.
pub fn sin(x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Math::sin(x);
    #[cfg(not(target_arch = "wasm32"))]
    return x.sin();
}
