import { Component, type ReactNode } from 'react';

/** A bug in the viewer shows its message instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="error" role="alert">
          <h2>The viewer failed</h2>
          <pre>{String(this.state.error.stack ?? this.state.error.message)}</pre>
        </div>
      );
    }
    return this.props.children;
  }
}
