//! The channels a programme effect runs through, declared once: each mechanism of the model with the scenario overrides that switch it off.
//!
//! `ovopsim decompose` switches channels off through the same validated
//! override path as `--set`, so every arm it runs is a valid, recorded
//! scenario. To add a channel, add one entry to [`CHANNELS`]; its place in
//! the table is its default place in a sequential decomposition.
//!
//! Programme kinds are switched off by making their saturation
//! (`programme.saturation.<kind>`, money at 63% of full effect) as large as
//! the key allows, 1e15 Rp per village: no model key holds an effect at
//! exactly zero, and at this saturation a village stock of even Rp10 billion
//! reaches a hundred-thousandth of the kind's full effect.

/// A mechanism of the model that can be switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Channel {
    /// Name on the command line and in result files (`--channels`).
    pub id: &'static str,
    /// The seed paper's mechanism it stands for.
    pub mechanism: &'static str,
    /// What the channel does in the model, in one line.
    pub description: &'static str,
    /// `key=value` overrides (as `--set` takes them) that switch it off.
    pub off: &'static [(&'static str, &'static str)],
    /// Acts only through programme money, so it cannot matter in a scenario
    /// that runs no programme (`approach = "none"`).
    pub programme: bool,
}

/// The saturation that leaves a programme kind without effect (the key's upper bound).
const NO_EFFECT: &str = "1e15";

/// Every channel, in the default order of a sequential decomposition: the
/// village-economy channels first, then partnerships and export, then the
/// programme kinds.
pub const CHANNELS: &[Channel] = &[
    Channel {
        id: "local_multiplier",
        mechanism: "village economy (local demand)",
        description: "agro-industry income spent in the village creates casual work",
        off: &[("economy.local_multiplier_days", "0")],
        programme: false,
    },
    Channel {
        id: "export",
        mechanism: "local yet global",
        description: "firms with export access resell certified deliveries abroad",
        off: &[("firms.export_access_share", "0")],
        programme: false,
    },
    Channel {
        id: "credit",
        mechanism: "financing",
        description: "KUR and banks lend to households (and their processing businesses' working capital), and to groups for working capital and for expansions that pass the payback rule",
        off: &[
            ("finance.kur_supply", "0"),
            ("finance.commercial_approval", "0"),
        ],
        programme: false,
    },
    Channel {
        id: "partnerships",
        mechanism: "three-stage partnerships with lead firms",
        description: "lead firms contact groups, sign contracts and employ in the villages",
        off: &[("firms.contact_probability", "0")],
        programme: false,
    },
    Channel {
        id: "technology",
        mechanism: "production technology programmes",
        description: "technology money raises group capacity and technology level",
        off: &[("programme.saturation.technology", NO_EFFECT)],
        programme: true,
    },
    Channel {
        id: "quality_standards",
        mechanism: "quality standards (GMP, HACCP)",
        description: "quality-standards money raises product quality and pays for audits (certification)",
        off: &[("programme.saturation.quality_standards", NO_EFFECT)],
        programme: true,
    },
    Channel {
        id: "promotion",
        mechanism: "promotion: channels, trade fairs, website",
        description: "promotion channels and websites widen demand; trade fairs bring firm contacts",
        off: &[
            ("programme.saturation.promotion_channels", NO_EFFECT),
            ("programme.saturation.trade_fairs", NO_EFFECT),
            ("programme.saturation.website", NO_EFFECT),
        ],
        programme: true,
    },
    Channel {
        id: "finance_access",
        mechanism: "financing",
        description: "finance-access money eases credit, and part of it is paid as grants to groups",
        off: &[
            ("programme.saturation.finance_access", NO_EFFECT),
            ("programme.grant_share", "0"),
        ],
        programme: true,
    },
    Channel {
        id: "human_resources",
        mechanism: "human-resource development",
        description: "training raises household skills and group quality",
        off: &[("programme.saturation.human_resources", NO_EFFECT)],
        programme: true,
    },
    Channel {
        id: "raw_material",
        mechanism: "raw-material development",
        description: "raw-material money raises yields of the village's raw crop",
        off: &[("programme.saturation.raw_material", NO_EFFECT)],
        programme: true,
    },
    Channel {
        id: "infrastructure",
        mechanism: "infrastructure",
        description: "infrastructure money closes part of a village's infrastructure gap",
        off: &[("programme.saturation.infrastructure", NO_EFFECT)],
        programme: true,
    },
    Channel {
        id: "empowerment",
        mechanism: "community empowerment",
        description: "empowerment money spreads awareness, facilitates groups and brokers firm contacts",
        off: &[("programme.saturation.empowerment", NO_EFFECT)],
        programme: true,
    },
    Channel {
        id: "movement",
        mechanism: "self-reliance and creativity",
        description: "the approach's own campaign and local leaders spread awareness and start groups without programme money",
        off: &[
            ("adoption.movement_share", "0"),
            ("groups.leader_movement", "0"),
        ],
        programme: false,
    },
    Channel {
        id: "graduation",
        mechanism: "focus and finish (fokus dan tuntas)",
        description: "agencies leave villages whose groups have paid their members for programme.graduation_months and take on new ones",
        off: &[("programme.graduation_months", "0")],
        programme: true,
    },
    Channel {
        id: "environmental_care",
        mechanism: "environmental care",
        description: "raw-material programmes teach the care (fertiliser, rotation, replanting) that keeps over-expanded raw cropping from depleting the land",
        off: &[("environment.care_effect", "0")],
        programme: true,
    },
    Channel {
        id: "continuity",
        mechanism: "continuity of support",
        description: "support stopped before a village has finished costs its trust in programmes",
        off: &[("adoption.trust_loss_withdrawal", "0")],
        programme: true,
    },
];

/// The channel named `id`.
pub fn find(id: &str) -> Option<&'static Channel> {
    CHANNELS.iter().find(|c| c.id == id)
}

/// Every channel id in table order, for `--help`.
pub fn all_ids() -> String {
    let ids: Vec<&str> = CHANNELS.iter().map(|c| c.id).collect();
    ids.join(", ")
}

/// The channels of `--channels` in the order given, or the whole table;
/// an unknown or repeated name is an error naming the known ones.
pub fn select(ids: Option<&[String]>) -> Result<Vec<&'static Channel>, String> {
    let Some(ids) = ids else {
        return Ok(CHANNELS.iter().collect());
    };
    let mut chosen: Vec<&'static Channel> = Vec::new();
    for id in ids {
        let channel = find(id)
            .ok_or_else(|| format!("--channels {id}: no such channel (channels: {})", all_ids()))?;
        if chosen.contains(&channel) {
            return Err(format!("--channels {id}: given twice"));
        }
        chosen.push(channel);
    }
    Ok(chosen)
}

/// The `--set` arguments that switch `channel` off.
pub fn off_sets(channel: &Channel) -> Vec<String> {
    channel
        .off
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// A key that `a` and `b` both set, to different values: the channels cannot
/// both be off, so they cannot be decomposed together.
pub fn conflict(a: &Channel, b: &Channel) -> Option<&'static str> {
    a.off
        .iter()
        .find(|(key, value)| b.off.iter().any(|(k, v)| k == key && v != value))
        .map(|(key, _)| *key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{self, Approach};
    use std::path::Path;

    #[test]
    fn every_channel_switches_off_through_valid_keys() {
        let ovop = scenario::Resolved::read(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ovop.toml"),
        )
        .unwrap();
        assert_eq!(ovop.apply(&[]).unwrap().scenario.approach, Approach::Ovop);
        let mut all = Vec::new();
        for c in CHANNELS {
            assert!(!c.off.is_empty(), "{} switches nothing off", c.id);
            let sets = off_sets(c);
            let off = ovop
                .apply(&sets)
                .unwrap_or_else(|e| panic!("{}: {e}", c.id));
            let on = ovop.apply(&[]).unwrap();
            assert_ne!(
                serde_json::to_value(&off.scenario).unwrap(),
                serde_json::to_value(&on.scenario).unwrap(),
                "{}: its overrides change nothing in ovop.toml",
                c.id
            );
            all.extend(sets);
        }
        // All off together is a valid scenario too.
        ovop.apply(&all).unwrap();
        let mut ids: Vec<&str> = CHANNELS.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CHANNELS.len(), "channel ids are unique");
    }

    #[test]
    fn selection_and_conflicts() {
        assert_eq!(select(None).unwrap().len(), CHANNELS.len());
        let two = select(Some(&["promotion".into(), "local_multiplier".into()])).unwrap();
        assert_eq!(two[0].id, "promotion");
        let e = select(Some(&["promo".into()])).unwrap_err();
        assert!(
            e.contains("no such channel") && e.contains("promotion"),
            "{e}"
        );
        let e = select(Some(&["export".into(), "export".into()])).unwrap_err();
        assert!(e.contains("given twice"), "{e}");
        let a = find("finance_access").unwrap();
        let b = Channel {
            off: &[("programme.grant_share", "0.5")],
            ..*a
        };
        assert_eq!(conflict(a, &b), Some("programme.grant_share"));
        assert_eq!(conflict(a, a), None);
        assert_eq!(conflict(a, find("export").unwrap()), None);
    }
}
