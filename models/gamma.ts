// models/gamma.ts: the one encoding of γ = log10(w_L / w_H), the hybrid's channel ratio (thesis §4.1;
// channel weights in element-input.ts). Node ids name the pure channels H (γ = −∞) and L (γ = +∞) and the
// hybrids by their log-ratio; JSON cannot hold ±∞, so artifacts write them as the strings "Infinity" and
// "-Infinity".
import { z } from "zod"

/** γ as it reads in node ids and params. */
export const Gamma = z.enum(["H", "-4", "-2", "0", "2", "4", "L"])
export type Gamma = z.infer<typeof Gamma>

export const gammaNumber = (g: Gamma): number => (g === "H" ? -Infinity : g === "L" ? Infinity : Number(g))

/** Which element input a γ gives: a pure channel or the hybrid. */
export const strategyOf = (g: Gamma): "H" | "L" | "hybrid" => (g === "H" || g === "L" ? g : "hybrid")

/** γ as artifacts store it. */
export const GammaJson = z.union([z.number(), z.enum(["Infinity", "-Infinity"])])
export type GammaJson = z.infer<typeof GammaJson>

export const gammaJson = (g: number): GammaJson => (Number.isFinite(g) ? g : g > 0 ? "Infinity" : "-Infinity")

export const gammaValue = (g: GammaJson | null): number | null =>
  g === null ? null : typeof g === "number" ? g : g === "Infinity" ? Infinity : -Infinity
