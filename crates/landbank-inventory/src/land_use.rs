//! Land-use codes (用地用海分类 and older systems) and the industrial class (一/二/三类) derived from them.

use crate::code::coded_enum;

coded_enum! {
    /// The classification a land-use code belongs to. Codes are only comparable within one system.
    LandUseSystem ("land-use system") {
        /// 国土空间调查、规划、用途管制用地用海分类指南 (2023).
        Ydyh2023 = "YDYH2023",
        /// GB 50137-2011 城市用地分类与规划建设用地标准 (M1/M2/M3).
        Gb50137 = "GB50137_2011",
        /// GB/T 21010-2017 土地利用现状分类.
        Gb21010 = "GB21010_2017",
    }
}

coded_enum! {
    /// Industrial land class by disturbance and pollution (一类/二类/三类工业用地).
    IndustrialClass ("industrial class") {
        /// 一类: little disturbance (electronics, garments, crafts).
        I = "I",
        /// 二类: some disturbance or pollution (food, pharma, textiles).
        II = "II",
        /// 三类: serious disturbance or hazard; needs protective separation.
        III = "III",
    }
}

impl IndustrialClass {
    /// Whether land of class `land` may take a project of class `self`: a class-I project fits I/II/III land,
    /// class-II fits II/III, class-III only III.
    ///
    /// # Examples
    ///
    /// ```
    /// use landbank_inventory::IndustrialClass::{I, II, III};
    /// assert!(I.fits_on(III));
    /// assert!(!III.fits_on(II));
    /// ```
    pub fn fits_on(self, land: IndustrialClass) -> bool {
        land >= self
    }
}

/// A land-use code together with the system it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LandUse {
    pub system: LandUseSystem,
    pub code: String,
}

impl LandUse {
    /// 一类工业用地 under the 2023 guide.
    pub fn industrial(class: IndustrialClass) -> LandUse {
        let code = match class {
            IndustrialClass::I => "100101",
            IndustrialClass::II => "100102",
            IndustrialClass::III => "100103",
        };
        LandUse { system: LandUseSystem::Ydyh2023, code: code.to_owned() }
    }

    /// The industrial class the code denotes, if it is an industrial code.
    ///
    /// # Examples
    ///
    /// ```
    /// use landbank_inventory::{IndustrialClass, LandUse, LandUseSystem};
    /// let m2 = LandUse { system: LandUseSystem::Gb50137, code: "M2".into() };
    /// assert_eq!(m2.industrial_class(), Some(IndustrialClass::II));
    /// ```
    pub fn industrial_class(&self) -> Option<IndustrialClass> {
        match (self.system, self.code.as_str()) {
            (LandUseSystem::Ydyh2023, "100101") | (LandUseSystem::Gb50137, "M1") => Some(IndustrialClass::I),
            (LandUseSystem::Ydyh2023, "100102") | (LandUseSystem::Gb50137, "M2") => Some(IndustrialClass::II),
            (LandUseSystem::Ydyh2023, "100103") | (LandUseSystem::Gb50137, "M3") => Some(IndustrialClass::III),
            _ => None,
        }
    }

    /// Whether the code is well formed in its system (digits of the right length, or a known letter code).
    pub fn is_well_formed(&self) -> bool {
        let c = self.code.as_str();
        match self.system {
            LandUseSystem::Ydyh2023 => matches!(c.len(), 2 | 4 | 6) && c.bytes().all(|b| b.is_ascii_digit()),
            LandUseSystem::Gb21010 => matches!(c.len(), 2 | 4) && c.bytes().all(|b| b.is_ascii_digit()),
            LandUseSystem::Gb50137 => {
                !c.is_empty()
                    && c.len() <= 3
                    && c.as_bytes()[0].is_ascii_uppercase()
                    && c[1..].bytes().all(|b| b.is_ascii_digit())
            }
        }
    }
}
