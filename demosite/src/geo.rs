//! Countries, cities, phone-number ranges and money formats the generated ads use.
//!
//! Every phone number the site prints is from a range a regulator reserves for fiction, so no number on
//! the site can belong to a real person. Only three countries have such ranges that the `phonenumber`
//! metadata accepts as valid, and those are the only numbers handed out:
//!
//! - US `NPA-555-0100` … `NPA-555-0199`, 100 numbers per area code; each city has the area codes of its
//!   metro area and state (92 in all);
//! - UK Ofcom drama ranges, 1,000 numbers each: `020 7946 0xxx`, `0113 496 0xxx`, `0114 496 0xxx`,
//!   `0116 496 0xxx`, `0117 496 0xxx`, `0118 496 0xxx`, `0121 496 0xxx`, `0131 496 0xxx`,
//!   `0141 496 0xxx`, `0151 496 0xxx`, `0161 496 0xxx`, `0191 498 0xxx`, `029 2018 0xxx` and the
//!   non-geographic `0306 999 0xxx` (`07700 900xxx`, `01632 960xxx`, `0115 496 0xxx` and
//!   `028 9649 6xxx` are left out: the metadata rejects the first three and Belfast has no city here);
//! - French ARCEP fiction blocks, 10,000 numbers each: `01 99 00 xx xx`, `02 61 91 xx xx`,
//!   `03 53 01 xx xx`, `04 65 71 xx xx`, `05 36 49 xx xx`.
//!
//! Ads from the US, the UK and France carry numbers of their own country, from the city's ranges first.
//! Ads from Spain, Mexico, Brazil, Portugal and Indonesia, which have no usable fiction ranges, carry a
//! number of a donor country ([`Country::donors`]: Mexico the US; Spain mostly France; Brazil the US or
//! France; Portugal the UK or France; Indonesia the UK or France), and the ad writes it with its country
//! code, as people write foreign numbers. When a city's ranges are used up the [`PhoneBook`] borrows the
//! ranges of the donor country's other cities, then those of the other two countries (written with
//! their country code too).
//!
//! Capacity: [`fiction_capacity`] (public as [`crate::phone_capacity`]) is 73,200 distinct numbers (US
//! 9,200, UK 14,000, France 50,000). A site takes about 0.7 numbers per ad (networks share one, many job
//! ads have none): boards of 10,000 ads each take about 14,000, with every ad from the US, the UK and
//! France still carrying a number of its own country. US numbers run out at roughly 13,000 ads per
//! board, after which US ads borrow UK and French numbers. Past the whole capacity (roughly 50,000 ads
//! per board) numbers repeat across unrelated ads rather than leave the fiction ranges; the no-repeat
//! guarantee holds up to that point.

use crate::rng::Rng;
use std::sync::LazyLock;

/// A language the ads are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Lang {
    En,
    Es,
    Fr,
    Pt,
    Id,
}

impl Lang {
    /// ISO 639-1 code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::Pt => "pt",
            Lang::Id => "id",
        }
    }

    /// Every language, in a fixed order.
    pub(crate) const ALL: [Lang; 5] = [Lang::En, Lang::Es, Lang::Fr, Lang::Pt, Lang::Id];

    /// Relative share of ads per language (majority English), in [`Lang::ALL`] order.
    pub(crate) const WEIGHTS: [u32; 5] = [52, 14, 11, 12, 11];

    /// The countries whose ads are written in this language, with relative weights.
    pub(crate) fn countries(self) -> &'static [(Country, u32)] {
        match self {
            Lang::En => &[(Country::Us, 70), (Country::Gb, 30)],
            Lang::Es => &[(Country::Es, 50), (Country::Mx, 50)],
            Lang::Fr => &[(Country::Fr, 1)],
            Lang::Pt => &[(Country::Br, 60), (Country::Pt, 40)],
            Lang::Id => &[(Country::Id, 1)],
        }
    }
}

/// A country ads are posted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Country {
    Us,
    Gb,
    Es,
    Mx,
    Fr,
    Br,
    Pt,
    Id,
}

impl Country {
    /// ISO 3166-1 alpha-2 code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Country::Us => "US",
            Country::Gb => "GB",
            Country::Es => "ES",
            Country::Mx => "MX",
            Country::Fr => "FR",
            Country::Br => "BR",
            Country::Pt => "PT",
            Country::Id => "ID",
        }
    }

    /// International calling code, without the `+`.
    pub(crate) fn calling_code(self) -> &'static str {
        match self {
            Country::Us => "1",
            Country::Gb => "44",
            Country::Es => "34",
            Country::Mx => "52",
            Country::Fr => "33",
            Country::Br => "55",
            Country::Pt => "351",
            Country::Id => "62",
        }
    }

    /// The national trunk prefix written before the national significant number at home.
    pub(crate) fn trunk(self) -> &'static str {
        match self {
            Country::Gb | Country::Fr | Country::Id => "0",
            _ => "",
        }
    }

    /// The countries whose fiction numbers this country's ads carry, with relative weights: the country
    /// itself where it has fiction ranges, else a neighbour or a country with close ties.
    pub(crate) fn donors(self) -> &'static [(Country, u32)] {
        match self {
            Country::Us | Country::Mx => &[(Country::Us, 1)],
            Country::Gb => &[(Country::Gb, 1)],
            Country::Fr => &[(Country::Fr, 1)],
            Country::Es => &[(Country::Fr, 3), (Country::Gb, 1)],
            Country::Br => &[(Country::Us, 1), (Country::Fr, 1)],
            Country::Pt | Country::Id => &[(Country::Gb, 1), (Country::Fr, 1)],
        }
    }

    /// The cities of this country.
    pub(crate) fn cities(self) -> impl Iterator<Item = &'static City> {
        CITIES.iter().filter(move |c| c.country == self)
    }

    /// Formats an amount of money the way ads in this country write it.
    pub(crate) fn money(self, amount: u64) -> String {
        match self {
            Country::Us => format!("${}", group(amount, ',')),
            Country::Gb => format!("£{}", group(amount, ',')),
            Country::Mx => format!("${} MXN", group(amount, ',')),
            Country::Es | Country::Pt => format!("{} €", group(amount, '.')),
            Country::Fr => format!("{} €", group(amount, '\u{a0}')),
            Country::Br => format!("R$ {}", group(amount, '.')),
            Country::Id => format!("Rp {}", group(amount, '.')),
        }
    }
}

/// Writes `n` with a thousands separator.
pub(crate) fn group(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// A city ads can be posted in.
#[derive(Debug)]
pub(crate) struct City {
    /// The name as the site shows it.
    pub(crate) name: &'static str,
    /// The URL segment for the city's listing pages.
    pub(crate) slug: &'static str,
    /// The country.
    pub(crate) country: Country,
    /// A state, region or province shown next to the city on some templates.
    pub(crate) region: &'static str,
    /// The city's fiction ranges, as national-significant-number prefixes without trunk: for the US area
    /// codes (each followed by `55501`), for the UK and France the fiction blocks. Empty in countries
    /// without fiction ranges, whose ads borrow a donor country's numbers.
    pub(crate) prefixes: &'static [&'static str],
}

macro_rules! city {
    ($name:expr, $slug:expr, $country:ident, $region:expr, [$($p:expr),* $(,)?]) => {
        City { name: $name, slug: $slug, country: Country::$country, region: $region, prefixes: &[$($p),*] }
    };
}

/// Every city on the site.
pub(crate) const CITIES: &[City] = &[
    // The city's own area codes first, then the rest of its metro area and state.
    city!(
        "New York",
        "new-york",
        Us,
        "NY",
        ["212", "646", "718", "917", "332", "347", "929", "516", "631", "914", "845", "934"]
    ),
    city!(
        "Los Angeles",
        "los-angeles",
        Us,
        "CA",
        ["213", "310", "323", "818", "424", "562", "626", "661", "747", "657", "714", "949", "909", "951"]
    ),
    city!("Las Vegas", "las-vegas", Us, "NV", ["702", "725", "775"]),
    city!("Miami", "miami", Us, "FL", ["305", "786", "954", "754", "561", "239", "407", "321", "813", "727"]),
    city!(
        "Houston",
        "houston",
        Us,
        "TX",
        ["713", "832", "281", "346", "409", "936", "979", "361", "512", "737", "210", "726"]
    ),
    city!("Chicago", "chicago", Us, "IL", ["312", "773", "872", "708", "847", "224", "630", "331", "815", "779"]),
    city!("Atlanta", "atlanta", Us, "GA", ["404", "678", "470", "770", "943", "706", "762", "912", "478", "229"]),
    city!("Phoenix", "phoenix", Us, "AZ", ["602", "480", "623", "520", "928"]),
    city!("Seattle", "seattle", Us, "WA", ["206", "425", "253", "360", "564", "509"]),
    city!("Dallas", "dallas", Us, "TX", ["214", "469", "972", "945", "817", "682", "940", "903", "430", "254"]),
    // London also takes the UK-wide non-geographic drama range; other cities a nearby city's range.
    city!("London", "london", Gb, "England", ["2079460", "3069990"]),
    city!("Manchester", "manchester", Gb, "England", ["1614960"]),
    city!("Birmingham", "birmingham", Gb, "England", ["1214960", "1164960"]),
    city!("Leeds", "leeds", Gb, "England", ["1134960", "1144960"]),
    city!("Bristol", "bristol", Gb, "England", ["1174960", "1184960"]),
    city!("Liverpool", "liverpool", Gb, "England", ["1514960"]),
    city!("Glasgow", "glasgow", Gb, "Scotland", ["1414960"]),
    city!("Edinburgh", "edinburgh", Gb, "Scotland", ["1314960", "1914980"]),
    city!("Cardiff", "cardiff", Gb, "Wales", ["2920180"]),
    city!("Madrid", "madrid", Es, "Comunidad de Madrid", []),
    city!("Barcelona", "barcelona", Es, "Cataluña", []),
    city!("Valencia", "valencia", Es, "Comunidad Valenciana", []),
    city!("Sevilla", "sevilla", Es, "Andalucía", []),
    city!("Málaga", "malaga", Es, "Andalucía", []),
    city!("Bilbao", "bilbao", Es, "País Vasco", []),
    city!("Ciudad de México", "ciudad-de-mexico", Mx, "CDMX", []),
    city!("Guadalajara", "guadalajara", Mx, "Jalisco", []),
    city!("Monterrey", "monterrey", Mx, "Nuevo León", []),
    city!("Cancún", "cancun", Mx, "Quintana Roo", []),
    city!("Tijuana", "tijuana", Mx, "Baja California", []),
    city!("Puebla", "puebla", Mx, "Puebla", []),
    city!("Paris", "paris", Fr, "Île-de-France", ["19900"]),
    city!("Lyon", "lyon", Fr, "Auvergne-Rhône-Alpes", ["46571"]),
    city!("Marseille", "marseille", Fr, "Provence-Alpes-Côte d'Azur", ["46571"]),
    city!("Nice", "nice", Fr, "Provence-Alpes-Côte d'Azur", ["46571"]),
    city!("Toulouse", "toulouse", Fr, "Occitanie", ["53649"]),
    city!("Bordeaux", "bordeaux", Fr, "Nouvelle-Aquitaine", ["53649"]),
    city!("Lille", "lille", Fr, "Hauts-de-France", ["35301"]),
    city!("Nantes", "nantes", Fr, "Pays de la Loire", ["26191"]),
    city!("Strasbourg", "strasbourg", Fr, "Grand Est", ["35301"]),
    city!("São Paulo", "sao-paulo", Br, "SP", []),
    city!("Rio de Janeiro", "rio-de-janeiro", Br, "RJ", []),
    city!("Belo Horizonte", "belo-horizonte", Br, "MG", []),
    city!("Brasília", "brasilia", Br, "DF", []),
    city!("Salvador", "salvador", Br, "BA", []),
    city!("Recife", "recife", Br, "PE", []),
    city!("Curitiba", "curitiba", Br, "PR", []),
    city!("Porto Alegre", "porto-alegre", Br, "RS", []),
    city!("Lisboa", "lisboa", Pt, "Lisboa", []),
    city!("Porto", "porto", Pt, "Porto", []),
    city!("Faro", "faro", Pt, "Algarve", []),
    city!("Coimbra", "coimbra", Pt, "Coimbra", []),
    city!("Braga", "braga", Pt, "Braga", []),
    city!("Jakarta", "jakarta", Id, "DKI Jakarta", []),
    city!("Surabaya", "surabaya", Id, "Jawa Timur", []),
    city!("Bandung", "bandung", Id, "Jawa Barat", []),
    city!("Denpasar", "denpasar", Id, "Bali", []),
    city!("Medan", "medan", Id, "Sumatera Utara", []),
    city!("Yogyakarta", "yogyakarta", Id, "DI Yogyakarta", []),
    city!("Batam", "batam", Id, "Kepulauan Riau", []),
];

/// A phone number: the country plus its national significant number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phone {
    pub(crate) country: Country,
    /// National significant number: digits only, no trunk prefix.
    pub(crate) nsn: String,
}

impl Phone {
    /// The E.164 form, `+17025550148`.
    pub(crate) fn e164(&self) -> String {
        format!("+{}{}", self.country.calling_code(), self.nsn)
    }

    /// The national significant number cut into the groups people write it in.
    pub(crate) fn groups(&self) -> Vec<&str> {
        let n = &self.nsn;
        let sizes: &[usize] = match self.country {
            Country::Gb if n.starts_with('2') => &[2, 4, 4],
            Country::Fr => &[1, 2, 2, 2, 2],
            // US numbers, the other UK ranges, and a plain fallback for any other country.
            _ => &[3, 3, 4],
        };
        let mut out = Vec::new();
        let mut at = 0;
        for &s in sizes {
            if at >= n.len() {
                break;
            }
            let end = (at + s).min(n.len());
            out.push(&n[at..end]);
            at = end;
        }
        if at < n.len() {
            out.push(&n[at..]);
        }
        out
    }

    /// The national digits as dialled at home: trunk prefix plus the national significant number.
    pub(crate) fn national_digits(&self) -> String {
        format!("{}{}", self.country.trunk(), self.nsn)
    }

    /// The groups as written at home: the trunk prefix glued to the first group.
    pub(crate) fn national_groups(&self) -> Vec<String> {
        let mut g: Vec<String> = self.groups().into_iter().map(str::to_string).collect();
        if let Some(first) = g.first_mut() {
            first.insert_str(0, self.country.trunk());
        }
        g
    }
}

/// One range reserved for fiction: a city-table prefix and the free digits after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Block {
    country: Country,
    prefix: &'static str,
}

impl Block {
    /// How many numbers the block holds: 100 per US area code, 1,000 per UK range, 10,000 per French
    /// block.
    fn size(self) -> usize {
        match self.country {
            Country::Us => 100,
            Country::Gb => 1_000,
            _ => 10_000,
        }
    }

    /// The national significant number of the block's `n`-th number.
    fn nsn(self, n: usize) -> String {
        match self.country {
            // NPA-555-0100 … NPA-555-0199.
            Country::Us => format!("{}55501{n:02}", self.prefix),
            // Ofcom drama ranges: seven-digit prefix plus three digits.
            Country::Gb => format!("{}{n:03}", self.prefix),
            // ARCEP fiction blocks: five-digit prefix plus four digits.
            _ => format!("{}{n:04}", self.prefix),
        }
    }
}

/// Every fiction block of the city table, each once (cities may share one), in table order.
fn blocks() -> &'static [Block] {
    static BLOCKS: LazyLock<Vec<Block>> = LazyLock::new(|| {
        let mut out: Vec<Block> = Vec::new();
        for city in CITIES {
            for &prefix in city.prefixes {
                let block = Block { country: city.country, prefix };
                if !out.contains(&block) {
                    out.push(block);
                }
            }
        }
        out
    });
    &BLOCKS
}

/// How many distinct phone numbers the site can hand out: the size of all fiction ranges together.
pub(crate) fn fiction_capacity() -> usize {
    blocks().iter().map(|b| b.size()).sum()
}

/// Hands out phone numbers from the fiction ranges, never the same one twice while any is left, so
/// only planted networks share a number.
///
/// It draws from its own random stream, so how many numbers a site takes does not shift its text.
#[derive(Debug)]
pub(crate) struct PhoneBook {
    rng: Rng,
    /// Per block of [`blocks`], which of its numbers are taken.
    taken: Vec<Vec<bool>>,
    /// Per block, how many numbers are left.
    left: Vec<usize>,
}

impl PhoneBook {
    /// An empty phone book for a site generated from `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        PhoneBook {
            rng: Rng::stream(seed, "phones"),
            taken: blocks().iter().map(|b| vec![false; b.size()]).collect(),
            left: blocks().iter().map(|b| b.size()).collect(),
        }
    }

    /// A fresh number for an advertiser in `city`: from the city's own ranges where its country has
    /// fiction ranges, else from one of the country's donors; see the module docs for the order in which
    /// ranges are borrowed once those run out.
    pub(crate) fn allocate(&mut self, city: &City) -> Phone {
        let home = city.country;
        let donors = home.donors();
        let weights: Vec<u32> = donors.iter().map(|(_, w)| *w).collect();
        let donor = donors[self.rng.weighted(&weights)].0;
        // The ranges to try first: the city's own, or those of one city of the donor country.
        let source: &City = if donor == home {
            city
        } else {
            let cities: Vec<&City> = donor.cities().collect();
            self.rng.pick::<&City>(&cities)
        };
        let tiers: [&dyn Fn(&Block) -> bool; 3] =
            [&|b| b.country == donor && source.prefixes.contains(&b.prefix), &|b| b.country == donor, &|_| true];
        for fits in tiers {
            let open: Vec<usize> =
                blocks().iter().enumerate().filter(|&(i, b)| fits(b) && self.left[i] > 0).map(|(i, _)| i).collect();
            if open.is_empty() {
                continue;
            }
            let i = *self.rng.pick(&open);
            return self.take(i);
        }
        // Every fiction number is taken: repeat one rather than leave the fiction ranges.
        let i = self.rng.below(blocks().len());
        let block = blocks()[i];
        Phone { country: block.country, nsn: block.nsn(self.rng.below(block.size())) }
    }

    /// Takes a random free number of block `i`, which must have one left.
    fn take(&mut self, i: usize) -> Phone {
        let block = blocks()[i];
        let taken = &mut self.taken[i];
        let mut n = self.rng.below(taken.len());
        // Probe forward to the next free number; the block has one, so this ends.
        while taken[n] {
            n = (n + 1) % taken.len();
        }
        taken[n] = true;
        self.left[i] -= 1;
        Phone { country: block.country, nsn: block.nsn(n) }
    }
}

/// The city named `slug`.
#[cfg(test)]
pub(crate) fn city_by_slug(slug: &str) -> Option<&'static City> {
    CITIES.iter().find(|c| c.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn money_formats_follow_local_habits() {
        assert_eq!(Country::Us.money(2500), "$2,500");
        assert_eq!(Country::Es.money(1800), "1.800 €");
        assert_eq!(Country::Id.money(1_500_000), "Rp 1.500.000");
        assert_eq!(Country::Br.money(400), "R$ 400");
        assert_eq!(group(999, ','), "999");
        assert_eq!(group(1000, ','), "1,000");
    }

    #[test]
    fn phones_group_like_the_locals_write_them() {
        let p = Phone { country: Country::Us, nsn: "7025550148".into() };
        assert_eq!(p.groups(), ["702", "555", "0148"]);
        assert_eq!(p.e164(), "+17025550148");
        let p = Phone { country: Country::Gb, nsn: "2079460123".into() };
        assert_eq!(p.national_groups(), ["020", "7946", "0123"]);
        let p = Phone { country: Country::Fr, nsn: "199001234".into() };
        assert_eq!(p.national_groups().join(" "), "01 99 00 12 34");
    }

    #[test]
    fn every_fiction_number_is_valid() {
        for block in blocks() {
            for n in 0..block.size() {
                let phone = Phone { country: block.country, nsn: block.nsn(n) };
                let parsed = phonenumber::parse(None, phone.e164()).expect("parses");
                assert!(phonenumber::is_valid(&parsed), "{}", phone.e164());
                let region = parsed.country().id().map(|id| id.as_ref().to_string());
                assert_eq!(region.as_deref(), Some(block.country.code()), "{}", phone.e164());
            }
        }
        assert_eq!(fiction_capacity(), 92 * 100 + 14 * 1_000 + 5 * 10_000);
    }

    #[test]
    fn only_fiction_countries_have_ranges_and_every_country_has_donors() {
        for city in CITIES {
            let donors = city.country.donors();
            assert!(!donors.is_empty(), "{}", city.name);
            let own = donors.iter().any(|(c, _)| *c == city.country);
            assert_eq!(own, !city.prefixes.is_empty(), "{}", city.name);
            assert!(donors.iter().all(|(c, _)| c.cities().all(|d| !d.prefixes.is_empty())), "{}", city.name);
        }
    }

    #[test]
    fn phone_book_never_repeats_until_every_fiction_number_is_taken() {
        let mut book = PhoneBook::new(3);
        let vegas = city_by_slug("las-vegas").unwrap();
        let madrid = city_by_slug("madrid").unwrap();
        let mut seen = HashSet::new();
        // Las Vegas has 300 numbers of its own: the book borrows other US area codes, then UK and French
        // ranges, which are written with their country code.
        for i in 0..12_000 {
            let phone = book.allocate(vegas);
            assert!(seen.insert(phone.e164()), "{} repeated", phone.e164());
            if i < 300 {
                assert!(["702", "725", "775"].iter().any(|a| phone.nsn.starts_with(a)), "{}", phone.e164());
            } else if i < 9_200 {
                assert_eq!(phone.country, Country::Us);
            } else {
                assert_ne!(phone.country, Country::Us);
            }
        }
        // Spanish ads borrow French and UK numbers.
        let mut donors = HashSet::new();
        for _ in 0..200 {
            let phone = book.allocate(madrid);
            assert!(seen.insert(phone.e164()));
            donors.insert(phone.country);
        }
        assert_eq!(donors, HashSet::from([Country::Fr, Country::Gb]));
        // Every city, until the fiction ranges are used up.
        let mut i = 0;
        while seen.len() < fiction_capacity() {
            let city = &CITIES[i % CITIES.len()];
            let phone = book.allocate(city);
            assert!(seen.insert(phone.e164()), "{} repeated ({})", phone.e164(), city.name);
            i += 1;
        }
        // Past the capacity numbers repeat, without a panic and still from the fiction ranges.
        for city in CITIES {
            let phone = book.allocate(city);
            assert!(seen.contains(&phone.e164()), "{}", phone.e164());
        }
    }

    #[test]
    fn phone_book_is_deterministic() {
        let draw = |seed| {
            let mut book = PhoneBook::new(seed);
            CITIES.iter().map(|c| book.allocate(c).e164()).collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
    }

    #[test]
    fn every_country_has_cities_and_slugs_are_unique() {
        for lang in Lang::ALL {
            for (c, _) in lang.countries() {
                assert!(c.cities().count() >= 4, "{c:?}");
            }
        }
        let slugs: HashSet<_> = CITIES.iter().map(|c| c.slug).collect();
        assert_eq!(slugs.len(), CITIES.len());
    }
}
