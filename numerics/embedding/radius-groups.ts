// Radius sub-groups of a consensus group (thesis §3.2.4, Fig. 3.12): Goldschmidt's rule says ions
// whose radii differ by more than 30 % hardly substitute, so, within a group, cations and anions are
// separated, each side is sorted by the element's largest Shannon radius, and a new sub-group starts
// where the next radius is ≥ 30 % larger than the previous one. Elements without a Shannon radius
// (noble gases, Z > 98 …) cannot be placed on the radius scale and form their own sub-group
// (a choice the thesis leaves open).

export interface RadiusMember {
  symbol: string
  /** the element's largest Shannon ionic radius (Å), undefined when pymatgen lists none */
  radius: number | undefined
  /** sign of the charge of that largest-radius ion: anions (O²⁻, F⁻, Cl⁻…) vs cations */
  ion: "cation" | "anion" | undefined
}

export interface RadiusSubgroup {
  ion: "cation" | "anion" | "none"
  members: string[]
  /** radii in member order (NaN for the no-radius sub-group) */
  radii: number[]
}

/** Split one group by ion sign, then by the ≥ `ratio` jump rule (default 1.3, Goldschmidt's 30 %). */
export function splitByRadius(members: readonly RadiusMember[], ratio = 1.3): RadiusSubgroup[] {
  const out: RadiusSubgroup[] = []
  for (const ion of ["cation", "anion"] as const) {
    const side = members
      .filter((m) => m.radius !== undefined && m.ion === ion)
      .sort((a, b) => a.radius! - b.radius! || a.symbol.localeCompare(b.symbol))
    let current: RadiusSubgroup | undefined
    for (const m of side) {
      const prev = current?.radii[current.radii.length - 1]
      if (!current || m.radius! >= ratio * prev!) {
        current = { ion, members: [], radii: [] }
        out.push(current)
      }
      current.members.push(m.symbol)
      current.radii.push(m.radius!)
    }
  }
  const none = members.filter((m) => m.radius === undefined || m.ion === undefined)
  if (none.length > 0) out.push({ ion: "none", members: none.map((m) => m.symbol), radii: none.map(() => Number.NaN) })
  return out
}
