import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
// First: the variables and the shared primitives, which the components' own styles refine.
import "./styles/base.css";
import { App } from "./App";

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
