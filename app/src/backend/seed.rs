//! The demo marketplace, loaded into an empty database at start-up only when asked
//! (`TROIKA_SEED=1`: its accounts share a public password, so a real marketplace never has them).
//! Idempotent: a `seed_runs` row marks it done, so restarts and several servers seed once.

use crate::backend::passwords::Passwords;
use crate::backend::db::catalog::{insert_category, insert_product, NewCategory, NewProduct};
use crate::domain::locale::Locale;
use crate::backend::db::shops::insert_shop;
use crate::domain::shop::ShopProfile;
use crate::backend::db::{claim_seed_run, users, Db, DbError};
use crate::domain::user::Role;
use crate::domain::Money;

pub const DEMO_PASSWORD: &str = "troika-demo";
const SEED_NAME: &str = "demo-marketplace-v1";

/// Demo accounts: (email, display name, role). Sellers own the shops below, in order.
pub const DEMO_ACCOUNTS: &[(&str, &str, Role)] = &[
    ("buyer@troika.test", "Ana Buyer", Role::Buyer),
    ("buyer2@troika.test", "Ben Buyer", Role::Buyer),
    // A regular customer: the demo's order history and its reviews.
    ("regular@troika.test", "Chloé Martin", Role::Buyer),
    ("seller@troika.test", "Camille Laurent", Role::Seller),
    ("seller2@troika.test", "Ingrid Dahl", Role::Seller),
    ("seller3@troika.test", "Rui Costa", Role::Seller),
    ("seller4@troika.test", "Lucía Ortega", Role::Seller),
    ("seller5@troika.test", "Jonas Becker", Role::Seller),
    ("mediator@troika.test", "Maya Mediator", Role::Mediator),
    ("moderator@troika.test", "Omar Moderator", Role::Moderator),
    ("admin@troika.test", "Ada Admin", Role::Admin),
];

struct ShopSeed {
    slug: &'static str,
    name: &'static str,
    city: &'static str,
    country: &'static str,
    description: &'static str,
    return_policy: &'static str,
    return_days: i64,
    handling_days: i64,
    shipping_cents: i64,
    opening_hours: &'static str,
    phone: &'static str,
    /// The description and return policy in French.
    description_fr: &'static str,
    return_policy_fr: &'static str,
}

const SHOPS: [ShopSeed; 5] = [
    ShopSeed { slug: "atelier-lumiere", name: "Atelier Lumière", city: "Lyon", country: "France",
        description: "Small-batch kitchenware and home goods, made and packed by hand in the Croix-Rousse.",
        return_policy: "Return any unused item within 30 days for a full refund; we pay return postage on faulty goods.",
        return_days: 30, handling_days: 2, shipping_cents: 490, opening_hours: "Mon–Sat 10:00–19:00", phone: "+33 4 78 12 34 56",
        description_fr: "Petites séries d’ustensiles de cuisine et d’objets pour la maison, fabriqués et emballés à la main à la Croix-Rousse.",
        return_policy_fr: "Tout article inutilisé peut être retourné sous 30 jours pour un remboursement complet ; nous payons le retour des articles défectueux." },
    ShopSeed { slug: "nordlys-outfitters", name: "Nordlys Outfitters", city: "Tromsø", country: "Norway",
        description: "Outdoor gear and warm clothing tested above the Arctic Circle.",
        return_policy: "14-day returns on unworn clothing and unused gear, tags attached. Buyer pays return postage.",
        return_days: 14, handling_days: 3, shipping_cents: 650, opening_hours: "Mon–Fri 9:00–17:00", phone: "+47 77 60 12 34",
        description_fr: "Équipement de plein air et vêtements chauds testés au-delà du cercle polaire.",
        return_policy_fr: "Retours sous 14 jours pour les vêtements non portés et l’équipement non utilisé, étiquettes attachées. Retour à la charge de l’acheteur." },
    ShopSeed { slug: "cafe-sol", name: "Café Sol", city: "Lisboa", country: "Portugal",
        description: "Single-origin coffee roasted weekly, teas and brewing tools.",
        return_policy: "Unopened goods within 7 days. Opened food cannot be returned; damaged parcels are replaced.",
        return_days: 7, handling_days: 1, shipping_cents: 390, opening_hours: "Tue–Sun 8:00–18:00", phone: "+351 21 123 4567",
        description_fr: "Cafés de pure origine torréfiés chaque semaine, thés et accessoires d’infusion.",
        return_policy_fr: "Articles non ouverts sous 7 jours. Les denrées ouvertes ne sont pas reprises ; les colis abîmés sont remplacés." },
    ShopSeed { slug: "libreria-paginas", name: "Librería Páginas", city: "Sevilla", country: "Spain",
        description: "New and carefully used books, from field guides to novels.",
        return_policy: "30-day returns in the condition received. Refund on arrival.",
        return_days: 30, handling_days: 2, shipping_cents: 250, opening_hours: "Mon–Sat 10:00–20:00", phone: "+34 954 12 34 56",
        description_fr: "Livres neufs et d’occasion soignés, des guides de terrain aux romans.",
        return_policy_fr: "Retours sous 30 jours dans l’état de réception. Remboursement à réception." },
    ShopSeed { slug: "kleine-welt", name: "Kleine Welt Spielwaren", city: "Leipzig", country: "Germany",
        description: "Wooden toys, games and puzzles that last for generations. Free shipping.",
        return_policy: "60-day returns, no questions asked. Free return label.",
        return_days: 60, handling_days: 4, shipping_cents: 0, opening_hours: "Mon–Fri 9:00–18:00", phone: "+49 341 123 4567",
        description_fr: "Jouets en bois, jeux et puzzles qui durent des générations. Livraison gratuite.",
        return_policy_fr: "Retours sous 60 jours, sans justification. Étiquette de retour gratuite." },
];

/// (slug, name, description, image), then the name and description in French.
const CATEGORIES: [(&str, &str, &str, &str, &str, &str); 6] = [
    ("kitchen", "Kitchen & Home", "Cookware, tableware and things for a well-kept home.", "/img/kitchen.svg",
        "Cuisine & Maison", "Ustensiles, vaisselle et tout pour une maison bien tenue."),
    ("coffee-tea", "Coffee & Tea", "Beans, leaves and the tools to brew them.", "/img/coffee-tea.svg",
        "Café & Thé", "Grains, feuilles et les outils pour les infuser."),
    ("books", "Books", "Field guides, cookbooks, novels and more.", "/img/books.svg",
        "Livres", "Guides de terrain, livres de cuisine, romans et plus encore."),
    ("outdoors", "Outdoors", "Gear for hiking, camping and cold mornings.", "/img/outdoors.svg",
        "Plein air", "De l’équipement pour la randonnée, le camping et les matins froids."),
    ("clothing", "Clothing", "Warm layers and everyday wear.", "/img/clothing.svg",
        "Vêtements", "Couches chaudes et vêtements de tous les jours."),
    ("toys", "Toys & Games", "Wooden toys, board games and puzzles.", "/img/toys.svg",
        "Jouets & Jeux", "Jouets en bois, jeux de société et puzzles."),
];

/// (category index, shop index, name, description, price in cents, stock)
type ProductSeed = (usize, usize, &'static str, &'static str, i64, i64);

const PRODUCTS: [ProductSeed; 60] = [
    (0, 0, "Cast-iron crêpe pan, 24 cm", "Pre-seasoned cast iron that spreads heat evenly for thin, golden crêpes.", 4900, 14),
    (0, 0, "Linen tea towels, set of 3", "Stonewashed French linen that dries glasses without lint.", 2400, 40),
    (0, 0, "Stoneware serving bowl", "Hand-thrown stoneware with a speckled oat glaze. Dishwasher safe.", 3800, 3),
    (0, 0, "Olive-wood spoon trio", "Three spoons carved from Provençal olive wood, oiled and ready to use.", 2900, 22),
    (0, 0, "Copper butter warmer", "A small tin-lined copper pot for melting butter and warming sauces.", 5600, 0),
    (0, 0, "Ceramic crème brûlée ramekins, set of 4", "Oven-safe ramekins for crème brûlée, soufflés and more.", 3200, 18),
    (0, 0, "Beeswax food wraps", "Reusable wraps in three sizes: a plastic-free way to keep food fresh.", 1800, 60),
    (0, 0, "Marble mortar and pestle", "Heavy white marble for pesto, spice pastes and aïoli.", 4400, 2),
    (0, 0, "Enamel café au lait bowls, pair", "Wide enamelled bowls for a French breakfast.", 2600, 30),
    (0, 0, "Walnut cutting board", "End-grain walnut board, 40 × 28 cm, kind to knife edges.", 6900, 7),
    (1, 2, "Café Sol house espresso blend, 500 g", "A chocolatey blend of Brazilian and Ethiopian beans, roasted for espresso.", 1650, 80),
    (1, 2, "Ethiopia Yirgacheffe, 250 g", "Bright and floral single origin with notes of bergamot and peach.", 1390, 35),
    (1, 2, "Colombia Huila decaf, 250 g", "Sugar-cane decaffeinated beans that still taste of caramel.", 1290, 4),
    (1, 2, "Hand coffee grinder", "Conical ceramic burrs and a stepless setting from espresso to cold brew.", 5400, 12),
    (1, 2, "Pour-over dripper and 100 filters", "A porcelain cone dripper with a year of paper filters.", 2700, 25),
    (1, 2, "Moka pot, 6 cups", "The classic stovetop espresso maker in polished aluminium.", 3400, 16),
    (1, 2, "Sencha green tea, 100 g", "Steamed Japanese green tea with a grassy sweetness.", 990, 50),
    (1, 2, "Chá de Príncipe herbal tea", "Lemongrass from the Azores, loose, 80 g.", 850, 0),
    (1, 0, "Café crème cups, set of 2", "Wide porcelain cups for café crème and flat whites.", 2200, 20),
    (1, 2, "Cold brew bottle, 1 L", "Glass bottle with a fine mesh filter for overnight cold brew.", 2900, 9),
    (2, 3, "Birds of Europe field guide", "Every species of Europe in one pocket volume, with range maps.", 3200, 11),
    (2, 3, "The Lisbon cookbook", "Eighty recipes from the tascas and bakeries of Lisbon.", 2800, 6),
    (2, 3, "Cien años de soledad (Spanish)", "García Márquez's masterpiece, paperback, Spanish edition.", 1450, 5),
    (2, 3, "A field guide to mushrooms", "Identify 500 European fungi safely, with look-alike warnings.", 2900, 3),
    (2, 3, "Night sky atlas", "Star charts for both hemispheres, spiral bound for use outdoors.", 2400, 14),
    (2, 3, "Learn Portuguese in 30 days", "A practical course with dialogues and a pronunciation guide.", 1990, 20),
    (2, 3, "Café society: a history of coffee houses", "From Vienna to Buenos Aires, how coffee houses shaped cities.", 2200, 8),
    (2, 3, "Children's atlas of animals", "Illustrated atlas with flaps, for ages 5 to 9.", 1800, 0),
    (2, 3, "Don Quijote, illustrated edition", "Cervantes' novel with Gustave Doré's engravings, hardback.", 3900, 4),
    (2, 3, "Trail running handbook", "Training plans, technique and nutrition for mountain trails.", 2100, 12),
    (3, 1, "Down sleeping bag, -10 °C", "Responsibly sourced duck down in a mummy shape, 1.1 kg.", 24900, 5),
    (3, 1, "Two-person tent", "Freestanding three-season tent, 2.1 kg, pitches in five minutes.", 31900, 3),
    (3, 1, "Insulated steel bottle, 750 ml", "Keeps drinks hot for 12 hours or cold for 24.", 3500, 45),
    (3, 1, "Headlamp, 400 lumen", "Rechargeable headlamp with red night mode.", 4200, 28),
    (3, 1, "Trekking poles, pair", "Carbon poles with cork grips, fold to 38 cm.", 8900, 10),
    (3, 1, "Camping stove", "Compact gas stove that boils a litre in four minutes.", 5900, 0),
    (3, 1, "Emergency bivvy bag", "Reflective bivvy that weighs 110 g: a must in every pack.", 1900, 33),
    (3, 1, "Merino buff", "A tube of merino wool: scarf, hat, or face mask.", 2300, 50),
    (3, 4, "Kids' compass and whistle set", "A first compass with a safety whistle, on a lanyard.", 1200, 26),
    (3, 1, "Folding camp chair", "Light aluminium chair with a 120 kg load rating.", 4900, 2),
    (4, 1, "Merino base layer top", "Soft 200 g/m² merino that stays warm when wet.", 7900, 18),
    (4, 1, "Wool mittens with liners", "Boiled wool mittens with removable fleece liners.", 3900, 9),
    (4, 1, "Down jacket, women's", "Hooded 700-fill down jacket that packs into its pocket.", 18900, 4),
    (4, 1, "Down jacket, men's", "Hooded 700-fill down jacket that packs into its pocket.", 18900, 6),
    (4, 1, "Hand-knitted lopi sweater", "Icelandic wool sweater, knitted by hand in the traditional pattern.", 16500, 1),
    (4, 0, "Linen apron", "A full-length linen apron with deep pockets.", 3400, 24),
    (4, 1, "Thermal socks, 3 pairs", "Cushioned wool-blend socks for boots.", 2500, 70),
    (4, 1, "Rain shell jacket", "Waterproof, breathable three-layer shell with pit zips.", 14900, 0),
    (4, 1, "Fleece beanie", "A soft fleece beanie in forest green.", 1600, 40),
    (4, 2, "Café Sol barista T-shirt", "Organic cotton tee with the Café Sol sun.", 2200, 15),
    (5, 4, "Wooden train set, 40 pieces", "Beech-wood tracks, a bridge and three trains.", 5900, 8),
    (5, 4, "Rainbow stacker", "Twelve arches in water-based paints, for open-ended play.", 4500, 12),
    (5, 4, "1000-piece puzzle: Lisboa tram", "A yellow tram climbing Alfama's streets, 1000 pieces.", 2400, 19),
    (5, 4, "Strategy board game: Piñata Party", "A family game of luck and tactics for 2–5 players, ages 8+.", 3400, 5),
    (5, 4, "Wooden kitchen play set", "Toy stove with pots, pans and a wooden crêpe.", 8900, 3),
    (5, 4, "Magnetic fishing game", "Catch the wooden fish: a first game for toddlers.", 1900, 27),
    (5, 4, "Marble run, 80 pieces", "Build towers and tracks; glass marbles included.", 6400, 0),
    (5, 4, "Crocheted teddy bear", "A soft cotton bear, crocheted by hand in Leipzig.", 3200, 2),
    (5, 4, "Chess set, walnut and maple", "A folding board with weighted pieces.", 7400, 6),
    (5, 4, "Card game: Café Rush", "Serve coffee faster than your friends: 2–6 players.", 1500, 30),
];

/// The demo products in French (name, description), in the order of `PRODUCTS`. A few have none:
/// a French reader sees them in the original, with a note saying it is English.
const PRODUCTS_FR: [Option<(&str, &str)>; 60] = [
    Some(("Poêle à crêpes en fonte, 24 cm", "Fonte préculottée qui répartit la chaleur pour des crêpes fines et dorées.")),
    Some(("Torchons en lin, lot de 3", "Lin français lavé à la pierre qui sèche les verres sans laisser de peluches.")),
    Some(("Saladier de service en grès", "Grès tourné à la main, émail moucheté couleur avoine. Passe au lave-vaisselle.")),
    Some(("Trio de cuillères en bois d’olivier", "Trois cuillères sculptées dans l’olivier de Provence, huilées et prêtes à l’emploi.")),
    Some(("Chauffe-beurre en cuivre", "Un petit poêlon en cuivre étamé pour fondre le beurre et réchauffer les sauces.")),
    Some(("Ramequins à crème brûlée en céramique, lot de 4", "Ramequins allant au four pour crèmes brûlées, soufflés et plus encore.")),
    Some(("Emballages alimentaires à la cire d’abeille", "Emballages réutilisables en trois tailles : conserver les aliments sans plastique.")),
    Some(("Mortier et pilon en marbre", "Marbre blanc massif pour le pistou, les pâtes d’épices et l’aïoli.")),
    Some(("Bols à café au lait émaillés, la paire", "De larges bols émaillés pour un petit-déjeuner à la française.")),
    Some(("Planche à découper en noyer", "Planche en bois de bout de noyer, 40 × 28 cm, douce pour le fil des couteaux.")),
    Some(("Café Sol, mélange espresso maison, 500 g", "Un mélange chocolaté de grains du Brésil et d’Éthiopie, torréfié pour l’espresso.")),
    Some(("Éthiopie Yirgacheffe, 250 g", "Pure origine vive et florale, aux notes de bergamote et de pêche.")),
    Some(("Colombie Huila décaféiné, 250 g", "Grains décaféinés à la canne à sucre, qui gardent un goût de caramel.")),
    Some(("Moulin à café manuel", "Meules coniques en céramique et réglage continu, de l’espresso au cold brew.")),
    Some(("Porte-filtre et 100 filtres", "Un porte-filtre conique en porcelaine avec une année de filtres en papier.")),
    Some(("Cafetière italienne, 6 tasses", "La cafetière expresso classique pour la cuisinière, en aluminium poli.")),
    Some(("Thé vert sencha, 100 g", "Thé vert japonais étuvé, à la douceur herbacée.")),
    Some(("Tisane Chá de Príncipe", "Citronnelle des Açores, en vrac, 80 g.")),
    Some(("Tasses à café crème, lot de 2", "De larges tasses en porcelaine pour le café crème et le flat white.")),
    Some(("Bouteille à cold brew, 1 L", "Bouteille en verre avec filtre à mailles fines pour un café infusé à froid toute la nuit.")),
    Some(("Guide des oiseaux d’Europe", "Toutes les espèces d’Europe en un volume de poche, avec cartes de répartition.")),
    Some(("Le livre de cuisine de Lisbonne", "Quatre-vingts recettes des tascas et des pâtisseries de Lisbonne.")),
    None,
    Some(("Guide des champignons", "Identifier sans risque 500 champignons d’Europe, avec les espèces à ne pas confondre.")),
    Some(("Atlas du ciel nocturne", "Cartes des étoiles des deux hémisphères, reliure spirale pour l’extérieur.")),
    None,
    Some(("Café society : une histoire des cafés", "De Vienne à Buenos Aires, comment les cafés ont façonné les villes.")),
    Some(("Atlas des animaux pour enfants", "Atlas illustré à rabats, de 5 à 9 ans.")),
    Some(("Don Quichotte, édition illustrée", "Le roman de Cervantès avec les gravures de Gustave Doré, relié.")),
    Some(("Manuel du trail", "Plans d’entraînement, technique et nutrition pour les sentiers de montagne.")),
    Some(("Sac de couchage en duvet, -10 °C", "Duvet de canard d’origine responsable, forme sarcophage, 1,1 kg.")),
    Some(("Tente deux places", "Tente autoportante trois saisons, 2,1 kg, montée en cinq minutes.")),
    Some(("Gourde isotherme en acier, 750 ml", "Garde les boissons chaudes 12 heures ou froides 24 heures.")),
    Some(("Lampe frontale, 400 lumens", "Lampe frontale rechargeable avec mode nuit rouge.")),
    Some(("Bâtons de randonnée, la paire", "Bâtons en carbone avec poignées en liège, pliés à 38 cm.")),
    Some(("Réchaud de camping", "Réchaud à gaz compact qui fait bouillir un litre en quatre minutes.")),
    Some(("Sac de bivouac de survie", "Bivouac réfléchissant de 110 g : indispensable dans chaque sac.")),
    Some(("Tour de cou en mérinos", "Un tube de laine mérinos : écharpe, bonnet ou cache-visage.")),
    Some(("Boussole et sifflet pour enfants", "Une première boussole avec un sifflet de sécurité, sur un cordon.")),
    Some(("Chaise de camping pliante", "Chaise légère en aluminium, charge maximale 120 kg.")),
    Some(("Haut de sous-vêtement en mérinos", "Mérinos doux de 200 g/m² qui reste chaud même mouillé.")),
    Some(("Moufles en laine avec doublures", "Moufles en laine bouillie avec doublures polaires amovibles.")),
    Some(("Doudoune, femme", "Doudoune à capuche en duvet 700 cuin qui se range dans sa poche.")),
    Some(("Doudoune, homme", "Doudoune à capuche en duvet 700 cuin qui se range dans sa poche.")),
    Some(("Pull lopi tricoté main", "Pull en laine islandaise, tricoté à la main au motif traditionnel.")),
    Some(("Tablier en lin", "Un tablier long en lin avec de grandes poches.")),
    Some(("Chaussettes thermiques, 3 paires", "Chaussettes rembourrées en laine mélangée pour les chaussures de marche.")),
    Some(("Veste de pluie", "Veste trois couches imperméable et respirante, avec aérations sous les bras.")),
    Some(("Bonnet polaire", "Un bonnet polaire tout doux, vert forêt.")),
    Some(("T-shirt barista Café Sol", "T-shirt en coton bio avec le soleil de Café Sol.")),
    Some(("Train en bois, 40 pièces", "Rails en hêtre, un pont et trois trains.")),
    Some(("Arc-en-ciel à empiler", "Douze arches peintes à l’eau, pour jouer librement.")),
    Some(("Puzzle 1000 pièces : le tram de Lisbonne", "Un tram jaune qui grimpe les rues de l’Alfama, 1000 pièces.")),
    Some(("Jeu de stratégie : Piñata Party", "Un jeu familial de chance et de tactique, de 2 à 5 joueurs, dès 8 ans.")),
    Some(("Dînette en bois", "Cuisinière jouet avec casseroles, poêles et une crêpe en bois.")),
    Some(("Jeu de pêche magnétique", "Attrapez les poissons en bois : un premier jeu pour les tout-petits.")),
    Some(("Circuit à billes, 80 pièces", "Construisez tours et pistes ; billes en verre incluses.")),
    Some(("Ours en crochet", "Un ours tout doux en coton, crocheté à la main à Leipzig.")),
    Some(("Jeu d’échecs, noyer et érable", "Un échiquier pliant avec des pièces lestées.")),
    None,
];

/// Seeds the demo marketplace once. Returns whether it ran now.
pub async fn seed_demo(db: &Db, passwords: &Passwords, now: i64) -> Result<bool, crate::error::AppError> {
    if db.seed_ran(SEED_NAME).await? {
        return Ok(false);
    }
    // Hash before taking the write lock: argon2 is slow by design.
    let mut hashes = Vec::with_capacity(DEMO_ACCOUNTS.len());
    for _ in DEMO_ACCOUNTS {
        hashes.push(passwords.hash(DEMO_PASSWORD.to_string()).await?);
    }
    let mut tx = db.begin().await?;
    if !claim_seed_run(&mut tx, SEED_NAME, now).await? {
        return Ok(false); // another server seeded meanwhile
    }
    let mut sellers = Vec::new();
    let mut account_ids = Vec::new();
    for ((email, name, role), hash) in DEMO_ACCOUNTS.iter().zip(&hashes) {
        // Accounts that already exist (a database that had users before seeding) are left alone.
        if users::find_by_email(&db.pool, email).await?.is_some() {
            continue;
        }
        let id = users::insert(&mut tx, email, name, hash, *role, now).await?;
        account_ids.push((*email, id));
        if *role == Role::Seller {
            sellers.push(id);
        }
    }
    if sellers.len() < SHOPS.len() {
        tx.commit().await.map_err(DbError::from)?;
        tracing::warn!("demo sellers already existed; demo catalog not seeded");
        return Ok(true);
    }
    let mut category_ids = Vec::new();
    for (i, (slug, name, description, _, name_fr, description_fr)) in CATEGORIES.iter().enumerate() {
        let category = NewCategory { slug, name, description, name_fr, description_fr };
        category_ids.push(insert_category(&mut tx, &category, i as i64).await?);
    }
    let mut shop_ids = Vec::new();
    for (s, owner) in SHOPS.iter().zip(&sellers) {
        let profile = ShopProfile {
            name: s.name.into(),
            city: s.city.into(),
            country: s.country.into(),
            description: s.description.into(),
            opening_hours: s.opening_hours.into(),
            contact_email: format!("hello@{}.example", s.slug),
            contact_phone: s.phone.into(),
            return_policy: s.return_policy.into(),
            return_days: s.return_days,
            handling_days: s.handling_days,
            shipping: Money(s.shipping_cents),
            language: Locale::en,
            translated_description: s.description_fr.into(),
            translated_return_policy: s.return_policy_fr.into(),
        };
        let created = now - 400 * 86_400_000 + shop_ids.len() as i64 * 45 * 86_400_000;
        shop_ids.push(insert_shop(&mut tx, *owner, s.slug, &profile, created).await?);
    }
    let mut product_ids = Vec::new();
    for (i, (cat, shop, name, description, price, stock)) in PRODUCTS.iter().enumerate() {
        let product = NewProduct {
            shop: shop_ids[*shop],
            category: category_ids[*cat],
            name,
            description,
            language: Locale::en,
            translated: PRODUCTS_FR[i],
            price: Money(*price),
            stock: *stock,
            low_stock: 3,
            image: CATEGORIES[*cat].3,
        };
        // Spread creation times over the past weeks so "newest" has a meaningful order.
        let created = now - (i as i64 * 7 + 3) * 3_600_000 * 5;
        product_ids.push(insert_product(&mut tx, &product, created).await?);
    }
    // Every demo product gets a drawn photo (made once per process), stored like an upload.
    for (i, product) in product_ids.iter().enumerate() {
        if let Some(photo) = crate::backend::photos::demo_photo(i) {
            crate::backend::db::photos::insert(&mut tx, *product, photo, now).await?;
        }
    }
    let id_of = |email: &str| account_ids.iter().find(|(e, _)| *e == email).map(|(_, id)| *id);
    if let (Some(buyer), Some(moderator)) = (id_of("regular@troika.test"), id_of("moderator@troika.test")) {
        seed_history(&mut tx, (buyer, moderator), &shop_ids, &product_ids, now).await?;
    }
    tx.commit().await.map_err(DbError::from)?;
    for shop in shop_ids {
        crate::backend::services::reviews::refresh_badge(db, shop, now).await?;
    }
    tracing::info!(products = PRODUCTS.len(), shops = SHOPS.len(), accounts = DEMO_ACCOUNTS.len(), "seeded the demo marketplace");
    Ok(true)
}

/// The regular customer's past orders: (product index, days ago, product stars, seller stars,
/// title, text, published). Atelier Lumière's six and Café Sol's five on-time, five-star orders earn
/// them the Top seller badge; Nordlys shipped late once; two reviews wait in the moderation queue
/// (one with an e-mail address: flagged).
const HISTORY: &[(usize, i64, u8, u8, &str, &str, bool)] = &[
    (0, 70, 5, 5, "Perfect crêpes from day one", "Heats evenly edge to edge. The seasoning held up after a dozen uses and it cleans with a wipe.", true),
    (1, 62, 5, 5, "Soft linen, no lint", "They dry glasses without leaving fluff and got softer after each wash. Lovely colours.", true),
    (3, 55, 5, 5, "Beautiful spoons", "Smooth olive wood with a nice grain. They came oiled, wrapped in paper, with a care note.", true),
    (2, 41, 4, 5, "Pretty bowl, a bit small", "Glaze is gorgeous and it survived the dishwasher. Smaller than I pictured, so check the size.", true),
    (0, 30, 5, 5, "Second pan, as a gift", "Bought another one for my sister. Packed with care and shipped the day after I ordered.", true),
    (1, 18, 5, 5, "Still great", "Ordered a second set for the holiday flat. Same quality, quick delivery.", true),
    (42, 48, 4, 4, "Warm and light", "Packs small and keeps me warm on autumn hikes. The zip is a little stiff.", true),
    (44, 26, 3, 3, "Good sweater, slow shipping", "Nice wool and a good fit, but it took nine days to arrive.", true),
    (10, 66, 5, 5, "Our everyday espresso", "Chocolatey and smooth with milk. Roasted four days before it arrived.", true),
    (13, 52, 5, 5, "Grinder worth every cent", "Consistent grind from espresso to French press, and it is quiet.", true),
    (14, 37, 5, 5, "Clean cups", "The dripper holds heat well; the filters fit perfectly.", true),
    (15, 23, 5, 5, "A proper moka pot", "Makes a strong, rich cup on gas or induction with the adapter.", true),
    (16, 9, 5, 5, "Grassy and sweet", "Lovely sencha, vacuum packed, with brewing notes in Portuguese and English.", true),
    (11, 6, 5, 5, "Fresh, fruity beans", "Roast date was two days before delivery. Bright and fruity as espresso.", false),
    (50, 5, 2, 3, "Missing a piece", "One bridge piece was missing; write me at chloe.martin@example.com if you have a spare.", false),
];

async fn seed_history(tx: &mut crate::backend::db::Tx, (buyer, moderator): (crate::domain::UserId, crate::domain::UserId), shop_ids: &[crate::domain::ShopId], product_ids: &[crate::domain::ProductId], now: i64) -> Result<(), crate::error::AppError> {
    use crate::backend::db::{orders, reviews};
    use crate::domain::checkout::ShippingAddress;
    use crate::domain::deadlines::{accept_deadline, ship_deadline};
    use crate::domain::order::OrderStatus;
    use crate::domain::review::{risk, screen, ScreeningContext};
    const DAY: i64 = 86_400_000;
    let address = ShippingAddress {
        full_name: "Chloé Martin".into(),
        line1: "8 Rue des Capucins".into(),
        line2: String::new(),
        city: "Lyon".into(),
        postcode: "69001".into(),
        country: "France".into(),
        phone: "+33 4 72 00 00 00".into(),
    };
    for (i, (product, days_ago, stars, seller_stars, title, body, published)) in HISTORY.iter().enumerate() {
        let (_, shop_index, _, _, price, _) = PRODUCTS[*product];
        let shop = (SHOPS[shop_index].handling_days, SHOPS[shop_index].shipping_cents);
        let placed = now - days_ago * DAY;
        let purchase = orders::insert_purchase(tx, buyer, &format!("demo-history-{i}"), Money(price + shop.1), &format!("DEMO-{i:04}"), placed).await?;
        let new = orders::NewOrder {
            purchase,
            buyer,
            shop: shop_ids[shop_index],
            subtotal: Money(price),
            shipping: Money(shop.1),
            address: &address,
            accept_by: accept_deadline(placed),
            ship_by: ship_deadline(placed, shop.0),
        };
        let order = orders::insert_order(tx, &new, placed).await?;
        orders::insert_item(tx, order, product_ids[*product], Money(price), 1).await?;
        let steps = [
            (OrderStatus::Placed, OrderStatus::Accepted, 3),
            (OrderStatus::Accepted, OrderStatus::Shipped, 20),
            (OrderStatus::Shipped, OrderStatus::Delivered, 60),
            (OrderStatus::Delivered, OrderStatus::Completed, 130),
        ];
        // No note: the status says it, in the reader's language.
        orders::insert_event(tx, order, OrderStatus::Placed, Some(buyer), "", placed).await?;
        for (from, to, hours) in steps {
            // The crêpe-pan shop ships on time; the sweater went out late.
            let hours = if *product == 44 && to == OrderStatus::Shipped { 24 * 6 } else { hours };
            let at = placed + hours * 3_600_000;
            let shipment = (to == OrderStatus::Shipped).then_some(("La Poste", "DEMO-TRACK"));
            orders::transition(tx, order, &orders::Move { from, to, shipment, refund: false }, at).await?;
            orders::insert_event(tx, order, to, None, "", at).await?;
        }
        let flags = screen(title, body, &ScreeningContext { stars: Some(*stars), ..Default::default() });
        let row = reviews::NewRow {
            kind: "review",
            parent: None,
            order: Some(order),
            thread: None,
            product: product_ids[*product],
            shop: shop_ids[shop_index],
            author: buyer,
            stars: Some(*stars),
            seller_stars: Some(*seller_stars),
            title,
            body,
            flags: &serde_json::to_string(&flags).unwrap_or_else(|_| "[]".into()),
            risk: i64::from(risk(&flags)),
        };
        let written = placed + 4 * DAY;
        let id = reviews::insert(tx, &row, written).await?;
        if *published {
            reviews::publish_seeded(tx, id, moderator, written + 3_600_000).await?;
        }
    }
    Ok(())
}
