//! `exp` of a whole column of `f32`, bit for bit as the platform's `f32::exp`
//! but vectorised where that is known to hold.
//!
//! Every household's income shock factor is `exp(shock - drift)`, once a
//! month: a call into libm per household was a tenth of a run. On x86-64
//! with glibc and a CPU with FMA and AVX2, `expf` is glibc's `__expf_fma`: a
//! 32-entry table of `2^(i/32)` and a cubic in double precision with four
//! fused multiply-adds, rounded to `f32` at the end. The same steps, with
//! the same constants and the same fused operations, are written here over
//! a slice, so the compiler can vectorise them; they give the same bits
//! (checked against `f32::exp` in the tests). Anywhere else, and for
//! arguments of magnitude 88 and above, `f32::exp` itself is used.

/// `factor[i] = exp(x[i] - shift)` for every `i`, exactly as
/// `(x[i] - shift).exp()` would give.
pub fn exp_shifted(x: &[f32], shift: f32, factor: &mut [f32]) {
    assert_eq!(x.len(), factor.len());
    #[cfg(all(target_arch = "x86_64", target_os = "linux", target_env = "gnu"))]
    {
        if std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2")
        {
            // SAFETY: the CPU has FMA and AVX2, checked just above.
            let big = unsafe { glibc_fma::exp_shifted(x, shift, factor) };
            if big {
                for (f, &x) in factor.iter_mut().zip(x) {
                    let a = x - shift;
                    if !glibc_fma::in_range(a) {
                        *f = a.exp();
                    }
                }
            }
            return;
        }
    }
    for (f, &x) in factor.iter_mut().zip(x) {
        *f = (x - shift).exp();
    }
}

#[cfg(all(target_arch = "x86_64", target_os = "linux", target_env = "gnu"))]
mod glibc_fma {
    /// `asuint64(2^(i/32)) - (i << 47)`: adding `k << 47` for `k = i mod 32`
    /// gives `2^(k/32)`.
    const TAB: [u64; 32] = [
        0x3ff0000000000000,
        0x3fefd9b0d3158574,
        0x3fefb5586cf9890f,
        0x3fef9301d0125b51,
        0x3fef72b83c7d517b,
        0x3fef54873168b9aa,
        0x3fef387a6e756238,
        0x3fef1e9df51fdee1,
        0x3fef06fe0a31b715,
        0x3feef1a7373aa9cb,
        0x3feedea64c123422,
        0x3feece086061892d,
        0x3feebfdad5362a27,
        0x3feeb42b569d4f82,
        0x3feeab07dd485429,
        0x3feea47eb03a5585,
        0x3feea09e667f3bcd,
        0x3fee9f75e8ec5f74,
        0x3feea11473eb0187,
        0x3feea589994cce13,
        0x3feeace5422aa0db,
        0x3feeb737b0cdc5e5,
        0x3feec49182a3f090,
        0x3feed503b23e255d,
        0x3feee89f995ad3ad,
        0x3feeff76f2fb5e47,
        0x3fef199bdd85529c,
        0x3fef3720dcef9069,
        0x3fef5818dcfba487,
        0x3fef7c97337b9b5f,
        0x3fefa4afa2a490da,
        0x3fefd0765b6e4540,
    ];
    /// 32 / ln 2.
    const INV_LN2_N: u64 = 0x40471547652b82fe;
    /// The cubic's coefficients for `2^(r/32)`, highest first.
    const C0: u64 = 0x3ebc6af84b912394;
    const C1: u64 = 0x3f2ebfce50fac4f3;
    const C2: u64 = 0x3f962e42ff0c52d6;
    /// 1.5 * 2^52: adding it rounds to an integer.
    const SHIFT: u64 = 0x4338000000000000;

    /// Whether `a` takes glibc's main path (|a| below 2^6 * 1.375, about 88).
    #[inline]
    pub fn in_range(a: f32) -> bool {
        (a.to_bits() >> 20) & 0x7ff < 0x42a
    }

    /// The main path for every element; returns whether any argument was
    /// outside it (those elements must be recomputed).
    #[target_feature(enable = "fma,avx2")]
    pub fn exp_shifted(x: &[f32], shift: f32, factor: &mut [f32]) -> bool {
        let inv_ln2_n = f64::from_bits(INV_LN2_N);
        let (c0, c1, c2) = (f64::from_bits(C0), f64::from_bits(C1), f64::from_bits(C2));
        let round = f64::from_bits(SHIFT);
        let mut big = false;
        for (f, &x) in factor.iter_mut().zip(x) {
            let a = x - shift;
            big |= !in_range(a);
            let xd = f64::from(a);
            let kd = inv_ln2_n.mul_add(xd, round);
            let ki = kd.to_bits();
            let kd = kd - round;
            let r = inv_ln2_n.mul_add(xd, -kd);
            let s = f64::from_bits(TAB[(ki & 31) as usize].wrapping_add(ki << 47));
            let z = r.mul_add(c0, c1);
            let r2 = r * r;
            let y = r.mul_add(c2, 1.0);
            let y = z.mul_add(r2, y);
            *f = (y * s) as f32;
        }
        big
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `f32` (about a minute in a release build).
    #[test]
    #[ignore]
    fn same_bits_as_f32_exp_everywhere() {
        let mut f = vec![0.0f32; 1 << 24];
        for hi in 0..256u32 {
            let x: Vec<f32> = (0..1u32 << 24)
                .map(|lo| f32::from_bits(hi << 24 | lo))
                .collect();
            exp_shifted(&x, 0.0, &mut f);
            for (&x, &f) in x.iter().zip(&f) {
                let want = x.exp();
                assert!(
                    f.to_bits() == want.to_bits() || (f.is_nan() && want.is_nan()),
                    "exp({x}) = {want}, got {f}"
                );
            }
        }
    }

    /// Every `f32` from -20 to 20 in steps of 2^-10 of a unit and a sample
    /// of the rest, including values past the fast path's range.
    #[test]
    fn same_bits_as_f32_exp() {
        let mut x: Vec<f32> = (-20 * 1024 * 1024..=20 * 1024 * 1024)
            .map(|i| i as f32 / (1024.0 * 1024.0))
            .collect();
        let mut bits = 0u32;
        while let Some(next) = bits.checked_add(65_537) {
            x.push(f32::from_bits(bits));
            bits = next;
        }
        x.extend([0.0, -0.0, 88.0, 88.8, -88.0, -104.0, 1e30, f32::INFINITY]);
        x.extend([f32::NEG_INFINITY, f32::MIN_POSITIVE, f32::EPSILON]);
        for shift in [0.0f32, 0.0123] {
            let mut f = vec![0.0f32; x.len()];
            exp_shifted(&x, shift, &mut f);
            for (&x, &f) in x.iter().zip(&f) {
                let want = (x - shift).exp();
                assert!(
                    f.to_bits() == want.to_bits() || (f.is_nan() && want.is_nan()),
                    "exp({x} - {shift}) = {want}, got {f}"
                );
            }
        }
    }
}
