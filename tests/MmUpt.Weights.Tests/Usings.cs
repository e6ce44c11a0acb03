// MmUpt.Model (the TorchSharp model) would shadow ORT GenAI's Model type inside MmUpt.* namespaces.
global using GenAiModel = Microsoft.ML.OnnxRuntimeGenAI.Model;
