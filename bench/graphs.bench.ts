// npm run bench:graphs [-- --repeats 5]
// Time to build both crystal-graph kinds (CGCNN 12-NN within 8 Å, MEGNet pairs within 4 Å) for all
// 1,265 matbench_phonons structures, next to pymatgen 2022.11.7's get_all_neighbors time for the same
// work (shared/fixtures/phonons_graph_stats.json: r=8 search + sort/truncate, then r=4 search; JSON
// load and Structure.from_dict excluded there and here). Goal: ≥ 5× faster. Timings are wall-clock
// on a shared machine: treat them as noisy.
import { useSharedData, fixture } from "../tests/fixtures.js"
import { openStructures as loadStructures } from "../io/matbench.js"
import { buildGraphSet, buildGraphSets } from "../numerics/graph/build.js"
import { encodeGraphSet } from "../numerics/graph/crystal-graph.js"

useSharedData()
const i = process.argv.indexOf("--repeats")
const repeats = i > 0 ? Number(process.argv[i + 1]) : 5
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const time = (f: () => void) => {
  const t = performance.now()
  f()
  return (performance.now() - t) / 1000
}

let structures!: ReturnType<typeof loadStructures>
const loadS = time(() => (structures = loadStructures("matbench_phonons")))
time(() => buildGraphSets(structures)) // warm-up (JIT)
let sets!: ReturnType<typeof buildGraphSets>
const both = Array.from({ length: repeats }, () => time(() => (sets = buildGraphSets(structures))))
const cgcnnOnly = Array.from({ length: repeats }, () => time(() => buildGraphSet(structures, "cgcnn")))
const megnetOnly = Array.from({ length: repeats }, () => time(() => buildGraphSet(structures, "megnet")))
let cgBytes = 0
let mgBytes = 0
const encodeS = time(() => {
  cgBytes = encodeGraphSet(sets.cgcnn).byteLength
  mgBytes = encodeGraphSet(sets.megnet).byteLength
})

const stats = fixture<{ timing: { best_total_s: number; runs: { cgcnn_s: number; megnet_s: number }[] } }>("phonons_graph_stats.json")
const pymatgen = stats.timing.best_total_s
const ours = median(both)
console.log(`structures: ${structures.length}, atoms ${sets.cgcnn.atomZ.length}; load ${loadS.toFixed(3)} s (JSON + parse, not timed by pymatgen's figure either)`)
console.log(`both kinds (8 Å 12-NN search + 4 Å search): median ${ours.toFixed(3)} s over ${repeats}; cgcnn alone ${median(cgcnnOnly).toFixed(3)} s, megnet alone ${median(megnetOnly).toFixed(3)} s`)
console.log(`pymatgen 2022.11.7 (cython neighbours): best ${pymatgen.toFixed(3)} s → ${(pymatgen / ours).toFixed(1)}× faster (goal ≥ 5×)`)
console.log(`artifacts: cgcnn ${(cgBytes / 1e6).toFixed(2)} MB (${sets.cgcnn.edgeSrc.length} edges), megnet ${(mgBytes / 1e6).toFixed(2)} MB (${sets.megnet.edgeSrc.length} edges); encode ${encodeS.toFixed(3)} s`)
console.log(
  JSON.stringify({
    bench: "graphs",
    task: "matbench_phonons",
    structures: structures.length,
    atoms: sets.cgcnn.atomZ.length,
    build_both_s: Number(ours.toFixed(4)),
    build_cgcnn_s: Number(median(cgcnnOnly).toFixed(4)),
    build_megnet_s: Number(median(megnetOnly).toFixed(4)),
    load_s: Number(loadS.toFixed(4)),
    pymatgen_s: pymatgen,
    speedup: Number((pymatgen / ours).toFixed(2)),
    cgcnn_edges: sets.cgcnn.edgeSrc.length,
    megnet_edges: sets.megnet.edgeSrc.length,
    cgcnn_bytes: cgBytes,
    megnet_bytes: mgBytes,
    repeats,
  }),
)
