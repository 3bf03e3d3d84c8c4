//! Calendar dates without a date crate: the site's clock is fixed, so pages never change over time.

use crate::bank::Bank;
use crate::geo::Country;

/// The site's "today". Every posting date is a few days or weeks before it, so the generated site is
/// the same whenever it is generated.
pub(crate) const TODAY: (i64, u32, u32) = (2025, 6, 30);

/// A posting time: days since 1970-01-01 plus minutes since midnight (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Stamp {
    pub(crate) days: i64,
    pub(crate) minute: u32,
}

impl Stamp {
    /// `days_ago` days before [`TODAY`] at `minute` past midnight.
    pub(crate) fn before_today(days_ago: i64, minute: u32) -> Stamp {
        let (y, m, d) = TODAY;
        Stamp { days: days_from_civil(y, m, d) - days_ago, minute: minute % 1440 }
    }

    fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.days)
    }

    /// `2025-06-12`.
    pub(crate) fn iso_date(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// `2025-06-12T14:03:00+00:00`.
    pub(crate) fn iso_datetime(self) -> String {
        format!("{}T{:02}:{:02}:00+00:00", self.iso_date(), self.minute / 60, self.minute % 60)
    }

    /// `14:03`.
    pub(crate) fn clock(self) -> String {
        format!("{:02}:{:02}", self.minute / 60, self.minute % 60)
    }

    /// Day and month as digits in the country's order: `06/12/2025` in the US, `12/06/2025` elsewhere.
    pub(crate) fn numeric(self, country: Country, sep: char) -> String {
        let (y, m, d) = self.ymd();
        if country == Country::Us { format!("{m:02}{sep}{d:02}{sep}{y}") } else { format!("{d:02}{sep}{m:02}{sep}{y}") }
    }

    /// The date written out in the ad's language: `June 12, 2025`, `12 de junio de 2025`, `12 juin 2025`.
    pub(crate) fn long(self, bank: &Bank, country: Country) -> String {
        let (y, m, d) = self.ymd();
        let month = bank.months[(m - 1) as usize];
        match country {
            Country::Us => format!("{month} {d}, {y}"),
            Country::Es | Country::Mx | Country::Br | Country::Pt => format!("{d} de {month} de {y}"),
            _ => format!("{d} {month} {y}"),
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank;
    use crate::geo::Lang;

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for z in -1000..30_000 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn formats() {
        let s = Stamp::before_today(18, 14 * 60 + 3);
        assert_eq!(s.iso_date(), "2025-06-12");
        assert_eq!(s.iso_datetime(), "2025-06-12T14:03:00+00:00");
        assert_eq!(s.numeric(Country::Us, '/'), "06/12/2025");
        assert_eq!(s.numeric(Country::Fr, '.'), "12.06.2025");
        assert_eq!(s.long(bank::bank(Lang::En), Country::Us), "June 12, 2025");
        assert_eq!(s.long(bank::bank(Lang::Es), Country::Mx), "12 de junio de 2025");
        assert_eq!(s.long(bank::bank(Lang::Fr), Country::Fr), "12 juin 2025");
    }
}
