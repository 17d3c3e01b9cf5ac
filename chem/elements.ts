// Element identity (symbol ↔ Z) and the ten chemical classes of thesis §3.2.3 (K-means ARI
// reference) as a mapping of ElementEmbeddings' group names. Facts read from data files (the groups,
// pymatgen's Shannon radii and oxidation states) are parsed in io/element-facts.ts.

/** Symbols by atomic number: SYMBOLS[z - 1], Z = 1…118 (IUPAC 2016 names). A fact, not data. */
export const SYMBOLS: readonly string[] = [
  "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar",
  "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr",
  "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe",
  "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu",
  "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn",
  "Fr", "Ra", "Ac", "Th", "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr",
  "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
]

const Z_OF = new Map(SYMBOLS.map((s, i) => [s, i + 1]))

export function isElement(symbol: string): boolean {
  return Z_OF.has(symbol)
}

export function symbolOf(z: number): string {
  const s = Number.isInteger(z) ? SYMBOLS[z - 1] : undefined
  if (s === undefined) throw new Error(`no element has atomic number ${z} (known: 1…${SYMBOLS.length})`)
  return s
}

export function zOf(symbol: string): number {
  const z = Z_OF.get(symbol)
  if (z === undefined) throw new Error(`unknown element symbol '${symbol}'`)
  return z
}

// ---- chemical classes (thesis §3.2.3: 碱金属, 碱土金属, 过渡金属, 金属, 非金属, 准金属, 卤素, 稀有气体, 镧系, 锕系)

export type ChemicalClass =
  | "alkali"
  | "alkaline-earth"
  | "transition-metal"
  | "post-transition-metal"
  | "metalloid"
  | "non-metal"
  | "halogen"
  | "noble-gas"
  | "lanthanide"
  | "actinide"

export const chemicalClasses: readonly ChemicalClass[] = [
  "alkali", "alkaline-earth", "transition-metal", "post-transition-metal", "metalloid",
  "non-metal", "halogen", "noble-gas", "lanthanide", "actinide",
]

// ElementEmbeddings' element_group.json has 11 groups; the thesis has 10. Its "Others" (H, C, N, P)
// and the chalcogens O, S, Se become non-metals; Te and Po are metalloids (as pymatgen's
// Element.is_metalloid has them), so "Chalcogen" disappears.
const GROUP_TO_CLASS: Record<string, ChemicalClass> = {
  Alkali: "alkali",
  Alkaline: "alkaline-earth",
  TM: "transition-metal",
  "Post-TM": "post-transition-metal",
  Metalloid: "metalloid",
  Others: "non-metal",
  Halogen: "halogen",
  "Noble gas": "noble-gas",
  Lanthanoid: "lanthanide",
  Actinoid: "actinide",
}
const CHALCOGEN_METALLOIDS = new Set(["Te", "Po"])

/** The thesis class of an element from its ElementEmbeddings group (undefined: a group the mapping lacks). */
export function classOfGroup(symbol: string, group: string): ChemicalClass | undefined {
  if (group === "Chalcogen") return CHALCOGEN_METALLOIDS.has(symbol) ? "metalloid" : "non-metal"
  return GROUP_TO_CLASS[group]
}
