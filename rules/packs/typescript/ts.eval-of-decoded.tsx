// Fixture for ts.eval-of-decoded in a .tsx file (written for provscan; not from any project).
import React from "react";

export function Banner<T extends { text: string }>(props: T) {
  // ruleid: ts.eval-of-decoded
  const style = eval(atob("eyJjb2xvciI6InJlZCJ9"));
  // ok: ts.eval-of-decoded
  const label = <span title={atob(props.text)}>{props.text}</span>;
  return <div style={style}>{label}</div>;
}
