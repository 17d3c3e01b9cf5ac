// stages/thesis-table-3-1.ts: thesis Table 3.1 "基于化学可替换性度量优化的一维元素嵌入间距结果 (λ = 6)",
// §3.1.3 (thesis.txt lines 442–462; p. 24 of the thesis). The element order is the Glawe et al. (2016) GA order
// the thesis started from, restricted to its 95 elements (Z = 1…95); the positions are the thesis's optimised
// 1-D coordinates at λ = 6, printed to 2 decimals. Transcribed by hand; a comparison column, never an input
// to the optimisation.

export const THESIS_TABLE_3_1: readonly { readonly element: string; readonly position: number }[] = [
  ["He", 1], ["Ne", 2.53], ["Ar", 4.06], ["At", 5.59], ["Rn", 7.11], ["Fr", 8.63], ["Kr", 10.15], ["Xe", 11.66], ["Pm", 13.17], ["Cs", 14.06], ["Rb", 14.92],
  ["K", 15.78], ["Na", 16.65], ["Li", 17.52], ["Ra", 18.38], ["Ba", 19.25], ["Sr", 20.08], ["Ca", 20.84], ["Eu", 21.53], ["Yb", 22.05], ["Lu", 22.35], ["Tm", 22.46],
  ["Y", 22.53], ["Er", 22.75], ["Ho", 23.01], ["Dy", 23.17], ["Tb", 23.27], ["Gd", 23.47], ["Sm", 23.52], ["Nd", 23.65], ["Pr", 23.85], ["Ce", 24.09], ["La", 24.36],
  ["Ac", 24.56], ["Am", 24.63], ["Pu", 24.73], ["Np", 24.94], ["U", 25.33], ["Th", 25.81], ["Pa", 26.45], ["Sc", 27.18], ["Zr", 28.07], ["Hf", 29.02], ["Ti", 30.04],
  ["Nb", 31.09], ["Ta", 32.16], ["V", 33.27], ["Cr", 34.42], ["Mo", 35.57], ["W", 36.72], ["Re", 37.87], ["Tc", 39.01], ["Os", 40.15], ["Ru", 41.23], ["Ir", 42.28],
  ["Rh", 43.28], ["Pt", 44.27], ["Pd", 45.26], ["Au", 46.26], ["Ag", 47.26], ["Cu", 48.27], ["Ni", 49.3], ["Co", 50.36], ["Fe", 51.47], ["Mn", 52.63], ["Mg", 53.85],
  ["Zn", 55.1], ["Cd", 56.38], ["Hg", 57.67], ["Be", 58.98], ["Al", 60.29], ["Ga", 61.6], ["In", 62.92], ["Tl", 64.26], ["Pb", 65.63], ["Sn", 67.03], ["Ge", 68.45],
  ["Si", 69.86], ["B", 71.3], ["C", 72.74], ["N", 74.19], ["P", 75.63], ["As", 77.07], ["Sb", 78.51], ["Bi", 79.96], ["Po", 81.44], ["Te", 82.93], ["Se", 84.4],
  ["S", 85.89], ["O", 87.4], ["I", 88.92], ["Br", 90.43], ["Cl", 91.94], ["F", 93.47], ["H", 95],
].map(([element, position]) => ({ element: element as string, position: position as number }))

/** λ at which Table 3.1 was printed (the thesis's chosen λ). */
export const THESIS_LAMBDA = 6
