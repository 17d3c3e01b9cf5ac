// Public surface of the engine. Stages import only from here.
export { artifact, type ArtifactKind, type LabelledMatrix } from "./artifact.js"
export { all, stage, variant, isStage, type AnyStage, type Gathered, type PresetName, type Stage } from "./stage.js"
export { dataRef, type DataFile, type DataProvider, type DataRef, type Unobtainable } from "./data.js"
export { runningNode } from "./executors/invoke.js"
export { definePipeline, type Pipeline, type PipelineCommand } from "./pipeline.js"
